import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ChatParticipant } from '../chat-participant.js';
import { ChatError } from '../chat.errors.js';
import { toReadFrame } from '../conversations/conversation-entry.js';
import { FanoutBus } from '../fanout/fanout.bus.js';
import { publishOnBus } from '../fanout/publish-on-bus.js';
import { MessageStore } from '../history/message.store.js';
import { ChatRateLimits } from '../limits/chat-rate-limits.js';
import type { MarkReadDto } from '../protocol/dto/read-state.dto.js';
import type { ReadFrame } from '../protocol/frames.js';
import { ChatRoomPolicy } from '../rooms/chat-room.policy.js';
import { LOBBY } from '../rooms/room-id.js';
import { toRoomReadFrame } from './room-entry.js';

/**
 * `mark_read`: stores the user's read position in a private conversation (`with`) or a room
 * (`room`; neither: lobby) — never backwards, never past the last message, durable like a
 * message — and sends the resulting `read` frame to every socket of the user, on every
 * instance, through the fan-out bus: the asking socket included, so it is the reply too. When
 * the bus refuses, the asking socket still gets it. A room the user may not read is
 * `not_found`, as if it did not exist.
 */
@Injectable()
export class ReadMarks {
  private readonly logger = new Logger(ReadMarks.name);

  constructor(
    @Inject(MessageStore) private readonly store: MessageStore,
    @Inject(FanoutBus) private readonly bus: FanoutBus,
    @Inject(ChatRoomPolicy) private readonly policy: ChatRoomPolicy,
    private readonly limits: ChatRateLimits,
  ) {}

  async markRead(participant: ChatParticipant, dto: MarkReadDto): Promise<void> {
    const userId = participant.user.id;
    if (dto.with !== undefined && dto.room !== undefined)
      throw new ChatError('invalid_message', 'name either with or room, not both');
    if (dto.with === userId) throw new ChatError('invalid_message', 'that is your own user id');
    await this.limits.charge('mark_read', userId);
    const frame =
      dto.with !== undefined
        ? await this.markConversation(userId, dto.with, dto.id)
        : await this.markRoom(userId, dto.room ?? LOBBY, dto.id);
    const published = await publishOnBus(
      this.bus,
      { kind: 'users', userIds: [userId], frame: JSON.stringify(frame) },
      `read position of user ${userId}`,
      this.logger,
    );
    if (!published) participant.send(frame);
  }

  private async markConversation(userId: number, partnerId: number, messageId: number): Promise<ReadFrame> {
    const summary = await this.store.markConversationRead({ userId, partnerId, messageId });
    if (!summary) throw new ChatError('not_found', `no conversation with user ${partnerId}`);
    return toReadFrame(summary);
  }

  private async markRoom(userId: number, room: string, messageId: number): Promise<ReadFrame> {
    if (!(await this.policy.access(userId, room))) throw new ChatError('not_found', `no room ${room}`);
    return toRoomReadFrame(await this.store.markRoomRead({ userId, room, messageId }));
  }
}
