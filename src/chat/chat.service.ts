import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ChatParticipant } from './chat-participant.js';
import { ChatError } from './chat.errors.js';
import { FanoutBus } from './fanout/fanout.bus.js';
import { publishOnBus } from './fanout/publish-on-bus.js';
import { MessageStore, StoredMessage } from './history/message.store.js';
import { mayMention } from './mentions/mention-parser.js';
import { MentionResolver } from './mentions/mention-resolver.js';
import { ChatRateLimits } from './limits/chat-rate-limits.js';
import { OnlineRoster } from './presence/online-roster.js';
import { OnlineUsersSnapshot } from './presence/online-users.snapshot.js';
import { ONLINE_PAGE_DEFAULT_LIMIT } from './presence/presence-limits.js';
import { PresenceService } from './presence/presence.service.js';
import type {
  ChatMessageDto,
  HistoryDto,
  OnlinePageDto,
  PrivateMessageDto,
  ResumeDto,
  TypingDto,
} from './protocol/dto/message.dto.js';
import type {
  AckFrame,
  HistoryFrame,
  OnlinePageFrame,
  OnlineUsersFrame,
  ResumedFrame,
  TypingFrame,
} from './protocol/frames.js';
import { historyFrameOf, messageFrameJson, replayFrameOf } from './protocol/message-frame.js';
import { audienceOf } from './fanout/message-audience.js';
import { MessageAdmission } from './editing/message-admission.js';
import { MessageChanges } from './editing/message-changes.js';
import { ChatEventPublisher } from './hooks/chat-event.publisher.js';
import { MessageScreen } from './hooks/message-screen.js';
import { UserBlocks } from './moderation/user-blocks.js';
import { RoomMutes } from './moderation/room-mutes.js';
import { ChatRooms } from './rooms/chat-rooms.js';
import { LOBBY } from './rooms/room-id.js';

const NO_ONE: ReadonlySet<number> = new Set();
import { timestamp } from './protocol/timestamp.js';
import { CHAT_USER_DIRECTORY } from './users/chat-user-directory.token.js';
import type { ChatUserDirectory } from './users/chat-user.directory.js';
import { sendPaced } from './limits/paced-send.js';
import { otherUser } from './users/other-user.js';

/** Default and largest `history` page, and the largest `resume` batch, as the contract sets them. */
export const HISTORY_DEFAULT_LIMIT = 10;
export const RESUME_BATCH_LIMIT = 500;

/**
 * Longest a connect or `join` waits for the node's roster to show the user online before it
 * sends the list (in a cluster the announcement arrives through Redis a moment later).
 */
const OWN_PRESENCE_WAIT_MS = 1_000;

/**
 * The chat's use cases: presence, sending, typing, history, resume. A
 * message goes `sendPublic`/`sendPrivate` → `storeAndAck` (stored, the `ack` follows the
 * commit) → `publishInOrder` (run by the store's `onStored` hook, in id order per
 * conversation across every instance) → the fan-out bus → `ConnectionRegistry.deliver` on
 * every node. Never touches a socket: it talks to `ChatParticipant`s.
 */
@Injectable()
export class ChatService {
  private readonly logger = new Logger(ChatService.name);

  constructor(
    @Inject(MessageStore) private readonly store: MessageStore,
    @Inject(FanoutBus) private readonly bus: FanoutBus,
    @Inject(CHAT_USER_DIRECTORY) private readonly users: ChatUserDirectory,
    private readonly presence: PresenceService,
    private readonly onlineSnapshot: OnlineUsersSnapshot,
    private readonly roster: OnlineRoster,
    private readonly limits: ChatRateLimits,
    private readonly screen: MessageScreen,
    private readonly changes: MessageChanges,
    private readonly events: ChatEventPublisher,
    private readonly blocks: UserBlocks,
    private readonly mutes: RoomMutes,
    private readonly rooms: ChatRooms,
    private readonly admission: MessageAdmission,
    private readonly mentions: MentionResolver,
  ) {}

  /**
   * A socket was accepted: it counts toward presence and gets the online list — the first
   * `online_page` with `presence_changes`, else `online_users` — which includes its user;
   * then `muted` when its user is muted in lobby.
   */
  async connect(participant: ChatParticipant): Promise<void> {
    await Promise.all([this.presence.attach(participant.user), this.blocks.load(participant)]);
    await this.roster.whenOnline(participant.user.id, OWN_PRESENCE_WAIT_MS);
    participant.send(this.onlineUsers(participant));
    await this.mutes.announceTo(participant, LOBBY);
  }

  /** A socket is gone. */
  async disconnect(participant: ChatParticipant): Promise<void> {
    if (participant.leavePresence()) await this.presence.detach(participant.user);
  }

  /** `join`: the socket counts toward presence again; replies `online_users` (or the first `online_page`). */
  async join(participant: ChatParticipant): Promise<OnlineUsersFrame | OnlinePageFrame> {
    await this.limits.charge('presence', participant.user.id);
    if (participant.enterPresence()) {
      await this.presence.attach(participant.user);
      await this.roster.whenOnline(participant.user.id, OWN_PRESENCE_WAIT_MS);
    }
    return this.onlineUsers(participant);
  }

  /** `online_page`: up to `limit` online users with an id above `after`, with the count. */
  async onlinePage(participant: ChatParticipant, dto: OnlinePageDto): Promise<OnlinePageFrame> {
    await this.limits.charge('online_page', participant.user.id);
    return this.onlineSnapshot.page(dto.after ?? 0, dto.limit ?? ONLINE_PAGE_DEFAULT_LIMIT);
  }

  /** `leave`: the socket stops counting toward presence and keeps receiving. */
  async leave(participant: ChatParticipant): Promise<void> {
    await this.limits.charge('presence', participant.user.id);
    if (participant.leavePresence()) await this.presence.detach(participant.user);
  }

  /**
   * `chat_message`: stored, delivered to every socket (lobby) or to the room's followers,
   * acked to the sender. A valid message the user may post is charged to the sender's
   * message bucket first; refused, it has no effect.
   */
  async sendPublic(participant: ChatParticipant, dto: ChatMessageDto): Promise<AckFrame> {
    const room = dto.room ?? LOBBY;
    await this.admission.admit(participant, dto.content, room);
    return this.storeAndAck(participant, null, dto.content, dto.client_id ?? null, room);
  }

  /** `private_message`: stored, delivered to every socket of sender and recipient, acked. */
  async sendPrivate(participant: ChatParticipant, dto: PrivateMessageDto): Promise<AckFrame> {
    const recipient = await otherUser(this.users, participant, dto.to);
    await this.blocks.refuseIfBlocked(participant, recipient.id);
    await this.admission.admit(participant, dto.content, null);
    return this.storeAndAck(participant, recipient.id, dto.content, dto.client_id ?? null);
  }

  /** `typing`: relayed to the recipient's sockets, or to the followers of `room`; nothing is stored. */
  async typing(participant: ChatParticipant, dto: TypingDto): Promise<void> {
    const to = dto.to ?? null; // null (allowed by the DTO) means absent
    if ((to === null) === (dto.room == null)) throw new ChatError('invalid_message', 'typing needs either to or room');
    if (to === null) return this.rooms.typing(participant, dto.room!, dto.active);
    const recipient = await otherUser(this.users, participant, to);
    await this.blocks.refuseIfBlocked(participant, recipient.id);
    await this.limits.charge('typing', participant.user.id);
    const frame: TypingFrame = {
      type: 'typing',
      user_id: participant.user.id,
      nickname: participant.user.nickname,
      active: dto.active,
    };
    // during an outage the recipient's sockets on this instance still get it; the sender is not told
    await publishOnBus(
      this.bus,
      { kind: 'users', userIds: [recipient.id], frame: JSON.stringify(frame) },
      'typing',
      this.logger,
    );
  }

  /** `history`: one page of a room the client may read (lobby by default) or of one of its private conversations. */
  async history(participant: ChatParticipant, dto: HistoryDto): Promise<HistoryFrame> {
    const withUserId = dto.with ?? null;
    const room = dto.room ?? LOBBY;
    if (withUserId !== null && dto.room != null)
      throw new ChatError('invalid_message', 'history takes with or room, not both');
    if (withUserId !== null) await otherUser(this.users, participant, withUserId);
    if (room !== LOBBY) await this.rooms.readable(participant, room);
    await this.limits.charge('history', participant.user.id);
    const page = await this.store.history({
      viewerId: participant.user.id,
      withUserId,
      room,
      beforeId: dto.before ?? undefined, // null (allowed by the DTO) means absent
      limit: dto.limit ?? HISTORY_DEFAULT_LIMIT,
    });
    const blocked = withUserId === null ? await this.blocks.blockedBy(participant.user.id) : NO_ONE;
    return historyFrameOf(withUserId, page, blocked, room);
  }

  /**
   * `resume`: replays up to 500 messages of lobby, of the rooms the socket follows and of the
   * participant's private conversations with id > `since`, oldest
   * first, then `resumed`; with `has_more` the client asks again from `last_id`.
   */
  async resume(participant: ChatParticipant, dto: ResumeDto): Promise<ResumedFrame> {
    await this.limits.charge('resume', participant.user.id);
    await this.changes.replay(participant, dto.since);
    const page = await this.store.since({
      viewerId: participant.user.id,
      sinceId: dto.since,
      limit: RESUME_BATCH_LIMIT,
      rooms: [LOBBY, ...participant.rooms],
    });
    const blocked = page.messages.length > 0 ? await this.blocks.blockedBy(participant.user.id) : NO_ONE;
    await sendPaced(
      participant,
      page.messages.map((message) => replayFrameOf(message, blocked)),
    );
    const lastId = page.messages.length > 0 ? page.messages[page.messages.length - 1].id : dto.since;
    return { type: 'resumed', last_id: lastId, has_more: page.hasMore };
  }

  /**
   * Stores the message and answers the `ack` once it is committed. The store calls
   * `publishInOrder` after the commit, while it still holds the conversation's order, so
   * the bus carries one conversation's messages in id order; delivery to the sockets is
   * `ConnectionRegistry.deliver`, on every node, for what the bus hands back.
   */
  private async storeAndAck(
    participant: ChatParticipant,
    recipientId: number | null,
    content: string,
    clientId: string | null,
    room: string = LOBBY,
  ): Promise<AckFrame> {
    const sender = participant.user;
    // without a host filter or an `@`, nothing to wait for
    const screened = this.screen.filters
      ? await this.screen.filter({
          kind: 'create',
          messageId: null,
          senderId: sender.id,
          senderNickname: sender.nickname,
          recipientId,
          content,
        })
      : content;
    const messageRoom = recipientId === null ? room : null;
    const mentions = mayMention(screened)
      ? await this.mentions.resolve({ content: screened, senderId: sender.id, recipientId, room: messageRoom })
      : undefined;
    const { message, duplicate } = await this.store.append(
      {
        senderId: sender.id,
        senderNickname: sender.nickname,
        recipientId,
        room: messageRoom,
        content: screened,
        createdAt: Date.now(),
        clientId,
        ...(mentions ? { mentions } : {}),
      },
      (stored) => this.publishInOrder(stored),
    );
    if (!duplicate) this.events.messageCreated(message);
    return { type: 'ack', client_id: clientId, id: message.id, timestamp: timestamp(message.createdAt) };
  }

  /**
   * Publishes a stored message on the fan-out bus (run by the store inside the
   * conversation's order); a refusing bus does not fail it: it stays stored and resumable.
   */
  private async publishInOrder(message: StoredMessage): Promise<void> {
    await publishOnBus(
      this.bus,
      audienceOf(message, messageFrameJson(message)),
      `message ${message.id} (stored)`,
      this.logger,
    );
  }

  private onlineUsers(participant: ChatParticipant): OnlineUsersFrame | OnlinePageFrame {
    if (participant.capabilities.has('presence_changes')) return this.onlineSnapshot.page(0, ONLINE_PAGE_DEFAULT_LIMIT);
    return this.onlineSnapshot.frame();
  }
}
