import { Inject, Injectable } from '@nestjs/common';
import type { ChatParticipant } from '../chat-participant.js';
import { ChatError } from '../chat.errors.js';
import { MessageStore } from '../history/message.store.js';
import { ChatEventPublisher } from '../hooks/chat-event.publisher.js';
import { ChatEvents } from '../hooks/chat-events.js';
import type { FlaggedFrame } from '../protocol/frames.js';
import { Flag, ModerationStore } from './moderation.store.js';
import { roomOfMessage } from './room-moderators.js';
import { ChatRooms } from '../rooms/chat-rooms.js';

/**
 * Flags on room messages: any user who can see a room message flags it with a reason (once
 * per message: again answers the same flag); moderation lists the open flags and resolves
 * them. The flagger is never named in any frame. Resolutions are audited; openings and
 * resolutions are emitted to the host once.
 */
@Injectable()
export class MessageFlags {
  constructor(
    @Inject(ModerationStore) private readonly store: ModerationStore,
    @Inject(MessageStore) private readonly messages: MessageStore,
    private readonly events: ChatEventPublisher,
    private readonly rooms: ChatRooms,
  ) {}

  /** `flag`: a room message, with a reason. */
  async flag(participant: ChatParticipant, messageId: number, reason: string): Promise<FlaggedFrame> {
    const message = await this.messages.find(messageId);
    if (
      !message ||
      message.deletedAt !== undefined ||
      message.recipientId !== null ||
      !(await this.rooms.canSee(participant.user.id, message))
    )
      throw new ChatError('not_found', `no room message with id ${messageId}`);
    const room = roomOfMessage(message);
    const { flag, created } = await this.store.flag({
      messageId,
      room,
      flaggerId: participant.user.id,
      reason,
      createdAt: Date.now(),
    });
    if (created)
      this.events.emit(ChatEvents.Flag, {
        action: 'opened',
        flagId: flag.id,
        messageId,
        room,
        reason,
        userId: participant.user.id,
      });
    return { type: 'flagged', flag_id: flag.id, message_id: messageId };
  }

  /** The open flags of `room`, oldest first. */
  open(room: string): Promise<Flag[]> {
    return this.store.openFlags(room);
  }

  /** Resolves an open flag by `actorId` (audited); null when there is no open flag `flagId`. */
  async resolve(actorId: number, flagId: number, resolution: string): Promise<Flag | null> {
    const at = Date.now();
    const resolved = await this.store.resolveFlag(flagId, { by: actorId, at, resolution });
    if (!resolved) return null;
    await this.store.audit({
      actorId,
      action: 'resolve_flag',
      room: resolved.room,
      targetUserId: null,
      messageId: resolved.messageId,
      flagId,
      detail: resolution,
      createdAt: at,
    });
    this.events.emit(ChatEvents.Flag, {
      action: 'resolved',
      flagId,
      messageId: resolved.messageId,
      room: resolved.room,
      reason: resolved.reason,
      userId: actorId,
      resolution,
    });
    return resolved;
  }
}
