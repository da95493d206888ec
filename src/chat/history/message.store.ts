/** A stored message. `recipientId` is null for the public room. Times are epoch ms. */
export interface StoredMessage {
  id: number;
  senderId: number;
  senderNickname: string;
  recipientId: number | null;
  content: string;
  createdAt: number;
  clientId: string | null;
  /** When its author last edited it; absent if never edited. */
  editedAt?: number;
  /** When it was deleted (its content is then empty); absent if not deleted. */
  deletedAt?: number;
}

/** A message to store; the store assigns `id`. */
export type NewMessage = Omit<StoredMessage, 'id' | 'editedAt' | 'deletedAt'>;

/** What `changedSince` looks for: changes, from `changedFrom` on, of messages up to `untilId` that `viewerId` may see. */
export interface ChangesQuery {
  viewerId: number;
  untilId: number;
  changedFrom: number;
  limit: number;
}

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
 * - `edit`/`remove` change a stored message in place: every later `history`, `since` and
 *   `find` answers the change (a deleted message keeps its id, sender and time, with empty
 *   content and `deletedAt`); `remove` wins over any later `edit`.
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
  /** The message with `id`, deleted or not; null when there is none. */
  find(id: number): Promise<StoredMessage | null>;
  /** Replaces the content of a message that is not deleted; the edited message, or null if none such. */
  edit(change: { id: number; content: string; editedAt: number }): Promise<StoredMessage | null>;
  /**
   * Deletes a message: its content is erased, a tombstone (id, `deletedAt`) stays. Idempotent:
   * deleting it again changes nothing and answers the first tombstone with `deleted: false`.
   * Null when there is no message with `id`.
   */
  remove(change: { id: number; deletedAt: number }): Promise<{ message: StoredMessage; deleted: boolean } | null>;
  /**
   * The messages with id <= `untilId` visible to `viewerId` that were edited or deleted at
   * `changedFrom` or later, in change order, at most `limit` (the latest ones when there are more).
   */
  changedSince(query: ChangesQuery): Promise<StoredMessage[]>;
  /** Whether the database answers. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** Injection token of the `MessageStore`. */
export const MessageStore = Symbol('MessageStore');
