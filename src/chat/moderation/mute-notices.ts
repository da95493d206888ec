import { Inject, Injectable, Logger } from '@nestjs/common';
import { FanoutBus } from '../fanout/fanout.bus.js';
import { publishOnBus } from '../fanout/publish-on-bus.js';
import type { MutedFrame, UnmutedFrame } from '../protocol/frames.js';
import { timestamp } from '../protocol/timestamp.js';
import type { Mute } from './moderation.store.js';

/** The `muted` frame of `mute` at `now`: its end and the time left (null for a mute until lifted). */
export function toMutedFrame(mute: Mute, now: number): MutedFrame {
  return {
    type: 'muted',
    room: mute.room,
    user_id: mute.userId,
    until: mute.until === null ? null : timestamp(mute.until),
    remaining_ms: mute.until === null ? null : Math.max(0, mute.until - now),
  };
}

/** The `unmuted` frame: `userId` may post in `room` again. */
export function toUnmutedFrame(room: string, userId: number): UnmutedFrame {
  return { type: 'unmuted', room, user_id: userId };
}

/**
 * Tells every socket of a user, on every instance, that a mute began (`muted`) or ended
 * (`unmuted`). A refusing bus loses the notice only: what is stored decides, and a post
 * is answered from the store (`forbidden` with the time left, or accepted).
 */
@Injectable()
export class MuteNotices {
  private readonly logger = new Logger(MuteNotices.name);

  constructor(@Inject(FanoutBus) private readonly bus: FanoutBus) {}

  /** `muted` to every socket of the muted user, as of `now`. */
  async muted(mute: Mute, now: number): Promise<void> {
    await this.notify(mute.userId, toMutedFrame(mute, now));
  }

  /** `unmuted` to every socket of `userId`. */
  async unmuted(room: string, userId: number): Promise<void> {
    await this.notify(userId, toUnmutedFrame(room, userId));
  }

  private async notify(userId: number, frame: MutedFrame | UnmutedFrame): Promise<void> {
    const envelope = { kind: 'users' as const, userIds: [userId], frame: JSON.stringify(frame) };
    await publishOnBus(this.bus, envelope, `${frame.type} notice of user ${userId}`, this.logger);
  }
}
