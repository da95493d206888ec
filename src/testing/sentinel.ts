import { randomBytes } from 'node:crypto';

/** Prefix of every reference the kit puts on the wire; no frame of a host test carries it. */
const REF_PREFIX = 'forum-chat-testing:';

/** Type of the frame the kit publishes on the fan-out bus to mark a point in its order. */
export const SENTINEL_TYPE = 'forum_chat_test_sentinel';

/** A fresh, unique sentinel reference. */
export function newSentinelRef(): string {
  return REF_PREFIX + randomBytes(8).toString('hex');
}

/** The serialized frame of a bus sentinel (what every socket receives). */
export function busSentinelFrame(ref: string): string {
  return JSON.stringify({ type: SENTINEL_TYPE, ref });
}

/**
 * The request of a round trip: a message the server refuses as invalid (blank content),
 * answered on the same socket by an `error` frame whose `ref` is this `client_id`. Nothing
 * is stored, delivered or charged to the user's rate.
 */
export function roundTripFrame(ref: string): { type: 'chat_message'; content: string; client_id: string } {
  return { type: 'chat_message', content: ' ', client_id: ref };
}

/** The sentinel reference a received frame carries, or null for a frame of the protocol. */
export function sentinelRefOf(frame: { type?: unknown; ref?: unknown }): string | null {
  if (typeof frame.ref !== 'string' || !frame.ref.startsWith(REF_PREFIX)) return null;
  return frame.type === SENTINEL_TYPE || frame.type === 'error' ? frame.ref : null;
}

/** Where a socket's sentinels go: the fan-out bus of the app it is connected to. */
export interface SentinelChannel {
  /** Publishes a bus sentinel with `ref` to every socket of every instance on the bus. */
  publish(ref: string): Promise<void>;
}
