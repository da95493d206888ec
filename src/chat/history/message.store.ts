/** A stored message. `recipientId` is null for the public room. Times are epoch ms. */
export interface StoredMessage {
  id: number;
  senderId: number;
  senderNickname: string;
  recipientId: number | null;
  content: string;
  createdAt: number;
  clientId: string | null;
}

/** A message to store; the store assigns `id`. */
export type NewMessage = Omit<StoredMessage, 'id'>;

/** A page of messages, oldest first; `hasMore` when the query had more to give. */
export interface MessagePage {
  messages: StoredMessage[];
  hasMore: boolean;
}

/** Called by `append` with a message it just stored (never for a duplicate). */
export type OnStored = (message: StoredMessage) => Promise<void>;

/**
 * Durable chat messages. Guarantees:
 * - `append` resolves only after the message is committed (it survives a crash of the
 *   process from then on); ids are positive, unique across every writer of the store, and
 *   increase in commit order for any one conversation.
 * - `append(message, onStored)` runs `onStored` after the commit and before any other
 *   append of the same conversation, by any writer of the store, can commit: what
 *   `onStored` does (publishing the message) happens in id order per conversation, across
 *   every instance. `append` resolves after `onStored` settles and rejects if it rejects
 *   (the message stays stored).
 * - `append` is idempotent per `(senderId, clientId)`: a second append with the same
 *   non-null pair stores nothing and resolves the first message with `duplicate: true`,
 *   also when the two appends run concurrently.
 * - `history` returns the public room (`withUserId` null) or the private conversation
 *   between `viewerId` and `withUserId`, the `limit` newest messages with id < `beforeId`,
 *   oldest first. A viewer never receives a private message they did not send or receive.
 * - `since` returns the messages visible to `viewerId` (public ones, and private ones they
 *   sent or received) with id > `sinceId`, oldest first, at most `limit`.
 * - `lastPrivateMessageTimes` maps each user `viewerId` has a private conversation with to
 *   the time of its last message.
 */
export interface MessageStore {
  append(message: NewMessage, onStored?: OnStored): Promise<{ message: StoredMessage; duplicate: boolean }>;
  history(query: {
    viewerId: number;
    withUserId: number | null;
    beforeId?: number;
    limit: number;
  }): Promise<MessagePage>;
  since(query: { viewerId: number; sinceId: number; limit: number }): Promise<MessagePage>;
  lastPrivateMessageTimes(viewerId: number): Promise<Map<number, number>>;
  /** Whether the database answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Injection token of the `MessageStore`. */
export const MessageStore = Symbol('MessageStore');
