import { Inject, Injectable } from '@nestjs/common';
import type { ChatParticipant } from '../chat-participant.js';
import { ChatError } from '../chat.errors.js';
import { ChatRateLimits } from '../limits/chat-rate-limits.js';
import type { MuteDto, OpenFlagsDto, ResolveFlagDto, UnmuteDto } from '../protocol/dto/moderation.dto.js';
import type { FlagResolvedFrame, MutedFrame, OpenFlagsFrame, UnmutedFrame } from '../protocol/frames.js';
import { timestamp } from '../protocol/timestamp.js';
import { LOBBY } from '../rooms/room-id.js';
import { CHAT_USER_DIRECTORY } from '../users/chat-user-directory.token.js';
import type { ChatUserDirectory } from '../users/chat-user.directory.js';
import { MessageFlags } from './message-flags.js';
import { ModerationStore } from './moderation.store.js';
import { RoomModerators } from './room-moderators.js';
import { toMutedFrame } from './mute-notices.js';
import { RoomMutes } from './room-mutes.js';
import { otherUser } from '../users/other-user.js';

/**
 * What a room's moderators do over the socket: mute and unmute a user in the room, list the
 * room's open flags and resolve them. Guarantees: each request is charged to the
 * `moderation` bucket, then answered `forbidden` (with nothing done) unless the forum's
 * policy names the user a moderator of the room at that moment; every mute, unmute and
 * resolution is stored, audited with the moderator's user id and emitted to the host, as
 * the same actions over the admin API are; flags are listed without their flaggers.
 */
@Injectable()
export class RoomModeration {
  constructor(
    private readonly moderators: RoomModerators,
    private readonly mutes: RoomMutes,
    private readonly flags: MessageFlags,
    @Inject(ModerationStore) private readonly store: ModerationStore,
    @Inject(CHAT_USER_DIRECTORY) private readonly users: ChatUserDirectory,
    private readonly limits: ChatRateLimits,
  ) {}

  /** `mute`: `user_id` may not post in the room for `duration_ms` (absent: until lifted). */
  async mute(participant: ChatParticipant, dto: MuteDto): Promise<MutedFrame> {
    const room = await this.moderated(participant, dto.room, 'mute users');
    await otherUser(this.users, participant, dto.user_id);
    const mute = await this.mutes.mute(participant.user.id, room, dto.user_id, dto.duration_ms);
    return toMutedFrame(mute, mute.createdAt);
  }

  /** `unmute`: lifts the user's mute in the room; idempotent (audited only when there was one). */
  async unmute(participant: ChatParticipant, dto: UnmuteDto): Promise<UnmutedFrame> {
    const room = await this.moderated(participant, dto.room, 'unmute users');
    await otherUser(this.users, participant, dto.user_id);
    await this.mutes.lift(participant.user.id, room, dto.user_id);
    return { type: 'unmuted', room, user_id: dto.user_id };
  }

  /** `open_flags`: the room's open flags, oldest first, without their flaggers. */
  async openFlags(participant: ChatParticipant, dto: OpenFlagsDto): Promise<OpenFlagsFrame> {
    const room = await this.moderated(participant, dto.room, 'see its flags');
    const flags = await this.flags.open(room);
    return {
      type: 'open_flags',
      room,
      flags: flags.map((flag) => ({
        id: flag.id,
        message_id: flag.messageId,
        reason: flag.reason,
        created_at: timestamp(flag.createdAt),
      })),
    };
  }

  /** `resolve_flag`: resolves an open flag of a room the participant moderates; `not_found` if none is open. */
  async resolveFlag(participant: ChatParticipant, dto: ResolveFlagDto): Promise<FlagResolvedFrame> {
    await this.limits.charge('moderation', participant.user.id);
    const flag = await this.store.findFlag(dto.id);
    if (!flag || flag.resolvedAt !== null) throw new ChatError('not_found', `no open flag with id ${dto.id}`);
    await this.moderators.require(participant, flag.room, 'resolve its flags');
    const resolved = await this.flags.resolve(participant.user.id, dto.id, dto.resolution);
    if (!resolved) throw new ChatError('not_found', `no open flag with id ${dto.id}`);
    return {
      type: 'flag_resolved',
      id: resolved.id,
      message_id: resolved.messageId,
      room: resolved.room,
      resolution: dto.resolution,
    };
  }

  /** Charges the request, then answers the room (lobby when absent) if the participant moderates it. */
  private async moderated(participant: ChatParticipant, room: string | undefined, what: string): Promise<string> {
    await this.limits.charge('moderation', participant.user.id);
    const id = room ?? LOBBY;
    await this.moderators.require(participant, id, what);
    return id;
  }
}
