import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ChatParticipant } from '../chat-participant.js';
import { ChatError } from '../chat.errors.js';
import { toReadFrame } from '../conversations/conversation-entry.js';
import { FanoutBus } from '../fanout/fanout.bus.js';
import { publishOnBus } from '../fanout/publish-on-bus.js';
import { MessageStore } from '../history/message.store.js';
import { ChatRateLimits } from '../limits/chat-rate-limits.js';
import type { MarkReadDto } from '../protocol/dto/read-state.dto.js';

/**
 * `mark_read`: stores the user's read position in a private conversation (never backwards,
 * never past its last message; durable like a message) and sends the resulting `read` frame
 * to every socket of the user, on every instance, through the fan-out bus — the asking socket
 * included, so it is the reply too. When the bus refuses, the asking socket still gets it.
 */
@Injectable()
export class ReadMarks {
  private readonly logger = new Logger(ReadMarks.name);

  constructor(
    @Inject(MessageStore) private readonly store: MessageStore,
    @Inject(FanoutBus) private readonly bus: FanoutBus,
    private readonly limits: ChatRateLimits,
  ) {}

  async markRead(participant: ChatParticipant, dto: MarkReadDto): Promise<void> {
    const userId = participant.user.id;
    if (dto.with === userId) throw new ChatError('invalid_message', 'that is your own user id');
    await this.limits.charge('mark_read', userId);
    const summary = await this.store.markConversationRead({ userId, partnerId: dto.with, messageId: dto.id });
    if (!summary) throw new ChatError('not_found', `no conversation with user ${dto.with}`);
    const frame = toReadFrame(summary);
    const published = await publishOnBus(
      this.bus,
      { kind: 'users', userIds: [userId], frame: JSON.stringify(frame) },
      `read position of user ${userId}`,
      this.logger,
    );
    if (!published) participant.send(frame);
  }
}
