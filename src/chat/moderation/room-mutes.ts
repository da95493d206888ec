import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ChatParticipant } from '../chat-participant.js';
import { ChatError } from '../chat.errors.js';
import { FanoutBus } from '../fanout/fanout.bus.js';
import { publishOnBus } from '../fanout/publish-on-bus.js';
import type { MutedFrame, UnmutedFrame } from '../protocol/frames.js';
import { timestamp } from '../protocol/timestamp.js';
import { ChatEventPublisher } from '../hooks/chat-event.publisher.js';
import { ChatEvents } from '../hooks/chat-events.js';
import { ModerationStore, Mute } from './moderation.store.js';

/** The room of every message that names no room (the public room). */
export const PUBLIC_ROOM = 'lobby';

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

/**
 * Mutes per room, stored (so a mute holds on every instance and across restarts): the muted
 * user's posts and edits there are refused with `forbidden` and the time left. Every mute and
 * lift is audited with its actor, emitted to the host once, and announced to every socket of
 * the muted user on every instance (`muted`, `unmuted`) once stored; a socket that connects
 * while its user is muted in lobby is told at connect.
 */
@Injectable()
export class RoomMutes {
  private readonly logger = new Logger(RoomMutes.name);

  constructor(
    @Inject(ModerationStore) private readonly store: ModerationStore,
    @Inject(FanoutBus) private readonly bus: FanoutBus,
    private readonly events: ChatEventPublisher,
  ) {}

  /** Mutes `userId` in `room` for `durationMs` (absent: until lifted), by `actorId`. */
  async mute(actorId: number, room: string, userId: number, durationMs?: number): Promise<Mute> {
    const now = Date.now();
    const mute: Mute = {
      room,
      userId,
      until: durationMs === undefined ? null : now + durationMs,
      mutedBy: actorId,
      createdAt: now,
    };
    await this.store.mute(mute);
    await this.store.audit({
      actorId,
      action: 'mute',
      room,
      targetUserId: userId,
      messageId: null,
      flagId: null,
      detail: mute.until === null ? 'until lifted' : `until ${new Date(mute.until).toISOString()}`,
      createdAt: now,
    });
    this.events.emit(ChatEvents.Mute, { action: 'muted', room, userId, moderatorId: actorId, until: mute.until });
    await this.notify(userId, toMutedFrame(mute, now));
    return mute;
  }

  /** Lifts the mute of `userId` in `room`; audited and emitted when there was an active one. */
  async lift(actorId: number, room: string, userId: number): Promise<boolean> {
    const now = Date.now();
    if (!(await this.store.unmute(room, userId, now))) return false;
    await this.store.audit({
      actorId,
      action: 'unmute',
      room,
      targetUserId: userId,
      messageId: null,
      flagId: null,
      detail: null,
      createdAt: now,
    });
    this.events.emit(ChatEvents.Mute, { action: 'unmuted', room, userId, moderatorId: actorId });
    await this.notify(userId, { type: 'unmuted', room, user_id: userId });
    return true;
  }

  /** Tells a socket that just connected that its user is muted in `room`, if so. */
  async announceTo(participant: ChatParticipant, room: string): Promise<void> {
    const now = Date.now();
    const mute = await this.store.muteOf(room, participant.user.id, now);
    if (mute) participant.send(toMutedFrame(mute, now));
  }

  /**
   * The notice to every socket of the muted user; a refusing bus loses nothing stored (the
   * mute holds, and a post answers `forbidden` with the time left).
   */
  private async notify(userId: number, frame: MutedFrame | UnmutedFrame): Promise<void> {
    const envelope = { kind: 'users' as const, userIds: [userId], frame: JSON.stringify(frame) };
    await publishOnBus(this.bus, envelope, `${frame.type} notice of user ${userId}`, this.logger);
  }

  /** Refuses with `forbidden` (and `retry_after_ms` for a mute that ends) while the user is muted in `room`. */
  async refuseIfMuted(participant: ChatParticipant, room: string): Promise<void> {
    const now = Date.now();
    const mute = await this.store.muteOf(room, participant.user.id, now);
    if (!mute) return;
    if (mute.until === null) throw new ChatError('forbidden', `you are muted in ${room} until a moderator lifts it`);
    const left = mute.until - now;
    throw new ChatError('forbidden', `you are muted in ${room} for ${Math.ceil(left / 1000)} s more`, left);
  }
}
