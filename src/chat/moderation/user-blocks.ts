import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ChatParticipant } from '../chat-participant.js';
import { ChatError } from '../chat.errors.js';
import { FanoutBus } from '../fanout/fanout.bus.js';
import { publishOnBus } from '../fanout/publish-on-bus.js';
import { ChatRateLimits } from '../limits/chat-rate-limits.js';
import type { BlockDto } from '../protocol/dto/message.dto.js';
import type { BlocksFrame } from '../protocol/frames.js';
import { CHAT_USER_DIRECTORY } from '../users/chat-user-directory.token.js';
import type { ChatUserDirectory } from '../users/chat-user.directory.js';
import { ModerationReadsCache } from './moderation-reads.cache.js';
import { ModerationStore } from './moderation.store.js';
import { otherUser } from '../users/other-user.js';

/**
 * Blocks between users, stored per user. A blocked user's private messages and typing are
 * refused (`forbidden`) before anything is stored or relayed; their room messages are
 * stored and delivered, flagged `blocked` for the blocker. A change reaches every socket of
 * the blocker, on every instance, as a `blocks` frame (which also updates the sockets' lists).
 */
@Injectable()
export class UserBlocks {
  private readonly logger = new Logger(UserBlocks.name);

  constructor(
    @Inject(ModerationStore) private readonly store: ModerationStore,
    @Inject(FanoutBus) private readonly bus: FanoutBus,
    @Inject(CHAT_USER_DIRECTORY) private readonly users: ChatUserDirectory,
    private readonly limits: ChatRateLimits,
    private readonly reads: ModerationReadsCache,
  ) {}

  /** `block`: from now on `user_id` cannot reach the client's user privately. */
  async block(client: ChatParticipant, dto: BlockDto): Promise<void> {
    const other = await otherUser(this.users, client, dto.user_id);
    await this.limits.charge('presence', client.user.id);
    await this.store.block(client.user.id, other.id, Date.now());
    this.reads.usersBlockingNobody().forget(client.user.id);
    await this.announce(client.user.id);
  }

  /** `unblock`: undoes `block` (idempotent). */
  async unblock(client: ChatParticipant, dto: BlockDto): Promise<void> {
    const other = await otherUser(this.users, client, dto.user_id);
    await this.limits.charge('presence', client.user.id);
    await this.store.unblock(client.user.id, other.id);
    await this.announce(client.user.id);
  }

  /** `blocks`: the users the client's user blocks. */
  async list(client: ChatParticipant): Promise<BlocksFrame> {
    return { type: 'blocks', user_ids: await this.store.blockedBy(client.user.id) };
  }

  /** Loads the socket's block list (at connect); a user read recently as blocking nobody is not read again. */
  async load(client: ChatParticipant): Promise<void> {
    const blockingNobody = this.reads.usersBlockingNobody();
    if (blockingNobody.has(client.user.id)) return;
    const ticket = blockingNobody.ticket();
    const ids = await this.store.blockedBy(client.user.id);
    if (ids.length > 0) client.useBlockList(new Set(ids));
    else blockingNobody.remember(client.user.id, ticket);
  }

  /** Refuses with `forbidden` when `recipientId` blocks the sender. */
  async refuseIfBlocked(sender: ChatParticipant, recipientId: number): Promise<void> {
    if (await this.store.blocks(recipientId, sender.user.id))
      throw new ChatError('forbidden', 'this user does not accept your private messages');
  }

  /** The ids `viewerId` blocks (to flag stored room messages). */
  async blockedBy(viewerId: number): Promise<ReadonlySet<number>> {
    return new Set(await this.store.blockedBy(viewerId));
  }

  /**
   * Sends the user's new block list to their sockets on every instance. A refusing bus loses
   * nothing stored: the block holds (it is checked against the store) and the sockets'
   * lists are loaded again at their next connect (on another instance that read the user
   * as blocking nobody, at a connect `MODERATION_READ_TTL_MS` later at most).
   */
  private async announce(userId: number): Promise<void> {
    const frame: BlocksFrame = { type: 'blocks', user_ids: await this.store.blockedBy(userId) };
    await publishOnBus(
      this.bus,
      { kind: 'users', userIds: [userId], frame: JSON.stringify(frame) },
      `block list of user ${userId}`,
      this.logger,
    );
  }
}
