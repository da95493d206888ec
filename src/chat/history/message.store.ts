import { LOBBY } from '../rooms/room-id.js';
import type { ConversationIndex } from '../reads/conversation-index.js';
import type { RoomReadIndex } from '../reads/room-read-index.js';

/** A stored message. `recipientId` is null for a room message. Times are epoch ms. */
export interface StoredMessage {
  id: number;
  senderId: number;
  senderNickname: string;
  recipientId: number | null;
  /**
   * The room of a room message (`lobby` for one that named none); null for a private message.
   * Optional on a `NewMessage` (a public message without it is a `lobby` message); every
   * message a store returns has it.
   */
  room?: string | null;
  content: string;
  createdAt: number;
  clientId: string | null;
  /** When its author last edited it; absent if never edited. */
  editedAt?: number;
  /** When it was deleted (its content is then empty); absent if not deleted. */
  deletedAt?: number;
  /** The users its content mentions (`@nickname`), ascending; absent when none. */
  mentions?: number[];
}

/** A message to store; the store assigns `id`. */
export type NewMessage = Omit<StoredMessage, 'id' | 'editedAt' | 'deletedAt'>;

/**
 * An edit: the new `content` of message `id` at `editedAt`, and `mentions`, users the new
 * content mentions. They join the message's mentions (once each, ascending), which an edit
 * never shrinks: a user once told of a mention stays mentioned by the message.
 */
export interface MessageEdit {
  id: number;
  content: string;
  editedAt: number;
  mentions?: readonly number[];
}

/**
 * An edited message as `edit` answers it, with `addedMentions`: the users the edit mentioned
 * for the first time, ascending (empty when none). A host's store may leave it out; the
 * caller then compares with the message as it read it before the edit.
 */
export type EditedMessage = StoredMessage & { addedMentions?: number[] };

/**
 * What `changedSince` looks for: changes, from `changedFrom` on, of messages up to `untilId`
 * that `viewerId` may see (their private messages and the messages of `rooms`, `[lobby]`
 * when absent).
 */
export interface ChangesQuery {
  viewerId: number;
  untilId: number;
  changedFrom: number;
  limit: number;
  rooms?: readonly string[];
}

/** A `history` query: a page of one room (`withUserId` null; `room` absent: lobby) or of one private conversation. */
export interface HistoryQuery {
  viewerId: number;
  withUserId: number | null;
  room?: string;
  beforeId?: number;
  limit: number;
}

/** A `since` query: the viewer's private messages and the messages of `rooms` (`[lobby]` when absent). */
export interface SinceQuery {
  viewerId: number;
  sinceId: number;
  limit: number;
  rooms?: readonly string[];
}

/** A page of messages, oldest first; `hasMore` when the query had more to give. */
export interface MessagePage {
  messages: StoredMessage[];
  hasMore: boolean;
}

/** The room a message belongs to as stored: its `room`, `lobby` for a public message naming none, null for a private one. */
export function roomOf(message: Pick<StoredMessage, 'recipientId' | 'room'>): string | null {
  if (message.recipientId !== null) return null;
  return message.room ?? LOBBY;
}

/** The rooms a `since`/`changedSince` query reads: the ones it names, else lobby only. */
export function roomsOf(query: { rooms?: readonly string[] }): readonly string[] {
  return query.rooms ?? [LOBBY];
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
 * - every returned message carries `room`: its room (`lobby` when it was appended without
 *   one) for a room message, null for a private one.
 * - `history` returns one room (`withUserId` null: `room`, lobby when absent) or the private
 *   conversation between `viewerId` and `withUserId`, the `limit` newest messages with
 *   id < `beforeId`, oldest first; one room's page never holds another room's message. A
 *   viewer never receives a private message they did not send or receive. (Whether the
 *   viewer may read the room is the caller's question: the store does not know.)
 * - `since` returns the messages of the query's `rooms` (lobby when absent) and the private
 *   ones `viewerId` sent or received, with id > `sinceId`, oldest first, at most `limit`.
 * - `edit`/`remove` change a stored message in place: every later `history`, `since` and
 *   `find` answers the change (a deleted message keeps its id, sender and time, with empty
 *   content and `deletedAt`); `remove` wins over any later `edit`.
 * - As a `ConversationIndex`, it keeps each user's conversation list and read positions in
 *   the same commit as the messages; as a `RoomReadIndex`, each user's read position per room.
 */
export interface MessageStore extends ConversationIndex, RoomReadIndex {
  append(message: NewMessage, onStored?: OnStored): Promise<{ message: StoredMessage; duplicate: boolean }>;
  history(query: HistoryQuery): Promise<MessagePage>;
  since(query: SinceQuery): Promise<MessagePage>;
  /** The message with `id`, deleted or not; null when there is none. */
  find(id: number): Promise<StoredMessage | null>;
  /**
   * Replaces the content of a message that is not deleted and adds `change.mentions` to its
   * mentions (counted as mentions of their readers, as a new message's); the edited message,
   * or null if none such. Its `addedMentions` are the users this edit mentioned first: of
   * concurrent edits naming one user, whichever instances make them, one only names it.
   */
  edit(change: MessageEdit): Promise<EditedMessage | null>;
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
