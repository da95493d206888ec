import { conversationOf, orderingKeyOf } from '../chat/history/conversation-key.js';
import { mergedMentions } from '../chat/mentions/stored-mentions.js';
import { KeyedSerializer } from '../chat/ordering/keyed-serializer.js';
import {
  roomOf,
  roomsOf,
  type ChangesQuery,
  type EditedMessage,
  type HistoryQuery,
  type MessageEdit,
  type MessagePage,
  type MessageStore,
  type NewMessage,
  type OnStored,
  type SinceQuery,
  type StoredMessage,
} from '../chat/history/message.store.js';
import { ConversationPage, ConversationSummary, UNREAD_COUNT_LIMIT } from '../chat/reads/conversation-index.js';
import type { RoomReadState } from '../chat/reads/room-read-index.js';

/** One user's side of a private conversation. */
interface ConversationRow {
  lastMessageId: number;
  lastMessageAt: number;
  readId: number;
}

/**
 * `MessageStore` in the memory of one process, for tests: every guarantee of the port
 * (unique increasing ids, idempotence per `(senderId, clientId)`, `onStored` in id order
 * per conversation, history and resume visibility) except durability — nothing survives
 * the process. Several app instances in one process may share one instance.
 */
export class InMemoryMessageStore implements MessageStore {
  private readonly messages: StoredMessage[] = [];
  private readonly byClientId = new Map<string, StoredMessage>();
  private readonly conversations = new Map<number, Map<number, ConversationRow>>();
  /** Read position per `${userId}:${room}`. */
  private readonly roomReads = new Map<string, number>();
  private readonly storedOrder = new KeyedSerializer<string>();
  /** Edited or deleted messages and when they last changed. */
  private readonly changedAt = new Map<StoredMessage, number>();

  async append(message: NewMessage, onStored?: OnStored): Promise<{ message: StoredMessage; duplicate: boolean }> {
    const result = this.store(message);
    if (!onStored) return result;
    // stored synchronously, queued in the same order: onStored runs one at a time, in id order
    return this.storedOrder.run(orderingKeyOf(message), async () => {
      if (!result.duplicate) await onStored(result.message);
      return result;
    });
  }

  async history(query: HistoryQuery) {
    const [lo, hi] = conversationOf(query.viewerId, query.withUserId);
    const room = query.room ?? 'lobby';
    const before = query.beforeId ?? Number.MAX_SAFE_INTEGER;
    const matching = this.messages.filter(
      (m) => m.id < before && (query.withUserId === null ? m.room === room : sameConversation(m, lo, hi)),
    );
    return page(matching.slice(-(query.limit + 1)), query.limit, 'newest');
  }

  async since(query: SinceQuery): Promise<MessagePage> {
    const rooms = new Set(roomsOf(query));
    const matching: StoredMessage[] = [];
    for (const m of this.messages) {
      if (m.id > query.sinceId && visibleIn(m, query.viewerId, rooms)) matching.push(m);
      if (matching.length > query.limit) break;
    }
    return page(matching, query.limit, 'oldest');
  }

  async conversationPage(query: { viewerId: number; beforeId?: number; limit: number }): Promise<ConversationPage> {
    const before = query.beforeId ?? Number.MAX_SAFE_INTEGER;
    const rows = [...(this.conversations.get(query.viewerId) ?? [])]
      .filter(([, row]) => row.lastMessageId < before)
      .sort(([, a], [, b]) => b.lastMessageId - a.lastMessageId);
    return {
      conversations: rows.slice(0, query.limit).map(([partnerId]) => this.summary(query.viewerId, partnerId)!),
      hasMore: rows.length > query.limit,
    };
  }

  async markConversationRead(mark: {
    userId: number;
    partnerId: number;
    messageId: number;
  }): Promise<ConversationSummary | null> {
    const row = this.conversations.get(mark.userId)?.get(mark.partnerId);
    if (!row) return null;
    row.readId = Math.max(row.readId, Math.min(mark.messageId, row.lastMessageId));
    return this.summary(mark.userId, mark.partnerId);
  }

  async roomReadStates(query: { userId: number; rooms: readonly string[] }): Promise<RoomReadState[]> {
    return query.rooms.map((room) => this.roomState(query.userId, room));
  }

  async markRoomRead(mark: { userId: number; room: string; messageId: number }): Promise<RoomReadState> {
    const key = `${mark.userId}:${mark.room}`;
    const last = this.roomState(mark.userId, mark.room).lastMessageId;
    this.roomReads.set(key, Math.max(this.roomReads.get(key) ?? 0, Math.min(mark.messageId, last)));
    return this.roomState(mark.userId, mark.room);
  }

  async find(id: number): Promise<StoredMessage | null> {
    const message = this.messages[id - 1];
    return message ? { ...message } : null;
  }

  async edit(change: MessageEdit): Promise<EditedMessage | null> {
    const message = this.messages[change.id - 1];
    if (!message || message.deletedAt !== undefined) return null;
    Object.assign(message, { content: change.content, editedAt: change.editedAt });
    this.touchChange(message, change.editedAt);
    const before = new Set(message.mentions);
    const added = [...new Set(change.mentions)].filter((userId) => !before.has(userId)).sort((a, b) => a - b);
    if (added.length === 0) return { ...message, addedMentions: [] };
    message.mentions = mergedMentions(message.mentions, added);
    return { ...message, addedMentions: added };
  }

  async remove(change: {
    id: number;
    deletedAt: number;
  }): Promise<{ message: StoredMessage; deleted: boolean } | null> {
    const message = this.messages[change.id - 1];
    if (!message) return null;
    if (message.deletedAt !== undefined) return { message: { ...message }, deleted: false };
    Object.assign(message, { content: '', deletedAt: change.deletedAt });
    this.touchChange(message, change.deletedAt);
    return { message: { ...message }, deleted: true };
  }

  async changedSince(query: ChangesQuery): Promise<StoredMessage[]> {
    const rooms = new Set(roomsOf(query));
    const matching = [...this.changedAt]
      .filter(([m, at]) => at >= query.changedFrom && m.id <= query.untilId && visibleIn(m, query.viewerId, rooms))
      .sort(([a, atA], [b, atB]) => atA - atB || a.id - b.id);
    return matching.slice(-query.limit).map(([m]) => ({ ...m }));
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {}

  /** Stores synchronously (so concurrent duplicates find the first), or finds the original. */
  private store(message: NewMessage): { message: StoredMessage; duplicate: boolean } {
    const key = message.clientId === null ? null : `${message.senderId}:${message.clientId}`;
    const existing = key === null ? undefined : this.byClientId.get(key);
    if (existing) return { message: existing, duplicate: true };
    const stored: StoredMessage = { ...message, room: roomOf(message), id: this.messages.length + 1 };
    this.messages.push(stored);
    if (key !== null) this.byClientId.set(key, stored);
    if (stored.recipientId !== null) {
      this.touch(stored.senderId, stored.recipientId, stored);
      this.touch(stored.recipientId, stored.senderId, stored);
    }
    return { message: stored, duplicate: false };
  }

  private touchChange(message: StoredMessage, at: number): void {
    this.changedAt.delete(message);
    this.changedAt.set(message, at);
  }

  private touch(userId: number, partnerId: number, message: StoredMessage): void {
    let partners = this.conversations.get(userId);
    if (!partners) this.conversations.set(userId, (partners = new Map()));
    const row = partners.get(partnerId) ?? { lastMessageId: 0, lastMessageAt: message.createdAt, readId: 0 };
    row.lastMessageId = Math.max(row.lastMessageId, message.id);
    row.lastMessageAt = Math.max(row.lastMessageAt, message.createdAt);
    partners.set(partnerId, row);
  }

  /** The read state of `userId` in `room`, its counts bounded as the port says. */
  private roomState(userId: number, room: string): RoomReadState {
    const readId = this.roomReads.get(`${userId}:${room}`) ?? 0;
    let last: StoredMessage | undefined;
    let unread = 0;
    let mentions = 0;
    for (let i = this.messages.length - 1; i >= 0; i--) {
      const m = this.messages[i];
      if (m.room !== room) continue;
      last ??= m;
      if (m.id <= readId) break;
      if (m.senderId !== userId && m.deletedAt === undefined) unread++;
      if (m.mentions?.includes(userId)) mentions++;
    }
    const lastMessageAt = last?.createdAt ?? null;
    return {
      room,
      lastMessageId: last?.id ?? 0,
      lastMessageAt,
      readId,
      unread: bound(unread),
      mentions: bound(mentions),
    };
  }

  /** The conversation of `userId` with `partnerId`, its counts bounded as the port says. */
  private summary(userId: number, partnerId: number): ConversationSummary | null {
    const row = this.conversations.get(userId)?.get(partnerId);
    if (!row) return null;
    let unread = 0;
    let mentions = 0;
    for (let i = this.messages.length - 1; i >= 0; i--) {
      const m = this.messages[i];
      if (m.id <= row.readId) break;
      if (m.senderId !== partnerId || m.recipientId !== userId) continue;
      if (m.deletedAt === undefined) unread++;
      if (m.mentions?.includes(userId)) mentions++;
    }
    const { lastMessageId, lastMessageAt, readId } = row;
    return { partnerId, lastMessageId, lastMessageAt, readId, unread: bound(unread), mentions: bound(mentions) };
  }
}

/** A message of one of `rooms`, or a private one `viewerId` sent or received. */
function visibleIn(message: StoredMessage, viewerId: number, rooms: ReadonlySet<string>): boolean {
  if (message.room != null) return rooms.has(message.room);
  return message.senderId === viewerId || message.recipientId === viewerId;
}

/** A count as the port bounds it. */
const bound = (count: number) => Math.min(count, UNREAD_COUNT_LIMIT + 1);

function sameConversation(message: StoredMessage, lo: number, hi: number): boolean {
  if (message.recipientId === null) return false;
  return conversationOf(message.senderId, message.recipientId).join(':') === `${lo}:${hi}`;
}

/** At most `limit` of `candidates` (which hold one more when there is more), oldest first. */
function page(candidates: StoredMessage[], limit: number, keep: 'newest' | 'oldest'): MessagePage {
  const hasMore = candidates.length > limit;
  const messages = !hasMore ? candidates : keep === 'newest' ? candidates.slice(1) : candidates.slice(0, limit);
  return { messages: messages.map((m) => ({ ...m })), hasMore };
}
