import { Inject, Injectable } from '@nestjs/common';
import type { ChatParticipant } from '../chat-participant.js';
import { ChatError } from '../chat.errors.js';
import { ChatEventPublisher } from '../hooks/chat-event.publisher.js';
import { ChatEvents } from '../hooks/chat-events.js';
import { ModerationReadsCache } from './moderation-reads.cache.js';
import { ModerationStore, Mute } from './moderation.store.js';
import { MuteExpiry } from './mute-expiry.js';
import { MuteNotices, toMutedFrame } from './mute-notices.js';

/**
 * Mutes per room, stored (so a mute holds on every instance and across restarts, and ends
 * at its `until` on every instance): the muted user's posts and edits there are refused with
 * `forbidden` and the time left. Every mute and lift is audited with its actor, emitted to
 * the host once, and announced to every socket of the muted user on every instance (`muted`,
 * `unmuted`) once stored; a timed mute that runs out is announced with `unmuted` too
 * (`MuteExpiry`); a socket that connects while its user is muted in lobby is told at connect.
 */
@Injectable()
export class RoomMutes {
  constructor(
    @Inject(ModerationStore) private readonly store: ModerationStore,
    private readonly notices: MuteNotices,
    private readonly expiry: MuteExpiry,
    private readonly events: ChatEventPublisher,
    private readonly reads: ModerationReadsCache,
  ) {}

  /** Mutes `userId` in `room` for `durationMs` (absent: until lifted), by `actorId`. */
  async mute(actorId: number, room: string, userId: number, durationMs?: number): Promise<Mute> {
    const now = Date.now();
    const until = durationMs === undefined ? null : now + durationMs;
    const mute: Mute = { room, userId, until, mutedBy: actorId, createdAt: now };
    await this.store.mute(mute);
    this.reads.muted(room, userId);
    const detail = until === null ? 'until lifted' : `until ${new Date(until).toISOString()}`;
    await this.audit(actorId, 'mute', room, userId, detail, now);
    this.events.emit(ChatEvents.Mute, { action: 'muted', room, userId, moderatorId: actorId, until });
    await this.notices.muted(mute, now);
    // armed once `muted` is on the bus, so this instance never announces the end before the start
    if (until !== null) this.expiry.expectEndAt(until);
    return mute;
  }

  /** Lifts the mute of `userId` in `room`; audited and emitted when there was an active one. */
  async lift(actorId: number, room: string, userId: number): Promise<boolean> {
    const now = Date.now();
    if (!(await this.store.unmute(room, userId, now))) return false;
    await this.audit(actorId, 'unmute', room, userId, null, now);
    this.events.emit(ChatEvents.Mute, { action: 'unmuted', room, userId, moderatorId: actorId });
    await this.notices.unmuted(room, userId);
    return true;
  }

  /**
   * Tells a socket that just connected that its user is muted in `room`, if so; a user read
   * recently as not muted there is not read again (`ModerationReadsCache`).
   */
  async announceTo(participant: ChatParticipant, room: string): Promise<void> {
    const unmuted = this.reads.usersUnmutedIn(room);
    if (unmuted.has(participant.user.id)) return;
    const ticket = unmuted.ticket();
    const now = Date.now();
    const mute = await this.store.muteOf(room, participant.user.id, now);
    if (mute) participant.send(toMutedFrame(mute, now));
    else unmuted.remember(participant.user.id, ticket);
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

  private async audit(
    actorId: number,
    action: 'mute' | 'unmute',
    room: string,
    targetUserId: number,
    detail: string | null,
    createdAt: number,
  ): Promise<void> {
    await this.store.audit({ actorId, action, room, targetUserId, messageId: null, flagId: null, detail, createdAt });
  }
}
