import type { ChatParticipant } from '../chat-participant.js';
import type { ServerFrame } from '../protocol/frames.js';

/** Frames of one step when the participant's send queue limit is unknown. */
const DEFAULT_STEP = 64;

/**
 * Sends `frames` to one socket in steps of a quarter of its send queue limit, each step
 * only once fewer than that many frames wait for the socket. A large reply (a `resume`
 * batch of up to 500 messages) thus never holds more than half the send queue, and live
 * traffic arriving meanwhile has the other half: a client that reads steadily on a slow
 * link is not cut as a slow consumer (1013) for it; one that stops reading still is.
 * Resolves once every frame is queued, or the socket is closing (the rest are dropped).
 */
export async function sendPaced(participant: ChatParticipant, frames: readonly ServerFrame[]): Promise<void> {
  const capacity = participant.sendQueueCapacity;
  const step = capacity === undefined ? DEFAULT_STEP : Math.max(1, Math.floor(capacity / 4));
  for (let start = 0; start < frames.length; start += step) {
    await participant.whenSendQueueBelow?.(step);
    for (const frame of frames.slice(start, start + step)) participant.send(frame);
  }
}
