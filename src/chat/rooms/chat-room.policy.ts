/** A room as the forum names it. */
export interface ChatRoom {
  /** Stable id, `[a-z0-9][a-z0-9_-]{0,63}` (see `ROOM_ID_PATTERN`). */
  id: string;
  title: string;
}

/**
 * What one user may do in one room they can read. Reading is implied: a room the user may
 * not read has no `ChatRoomAccess` at all.
 */
export interface ChatRoomAccess {
  room: ChatRoom;
  /** May send `chat_message` and `typing` there. */
  post: boolean;
  /** May moderate the room (delete others' messages, mute, resolve flags). */
  moderate: boolean;
}

/**
 * The forum's answer to "which rooms exist for this user, and what may they do there".
 * The chat keeps no copy of these permissions: it asks the port whenever it needs an
 * answer. Guarantees an implementation must give:
 * - `lobby` exists for every user, readable and postable;
 * - `access` resolves null both for a room that does not exist and for one the user may
 *   not read: the chat answers the two alike (`not_found`);
 * - `roomsFor` lists exactly the rooms for which `access` is not null, each once, `lobby`
 *   included;
 * - answers reflect a change as soon as the call that made it returned.
 */
export interface ChatRoomPolicy {
  /** The user's rights in `roomId`, or null when the room does not exist for them. */
  access(userId: number, roomId: string): Promise<ChatRoomAccess | null>;
  /** Every room the user can read, with their rights there. */
  roomsFor(userId: number): Promise<ChatRoomAccess[]>;
}

/** Injection token of the `ChatRoomPolicy`. */
export const ChatRoomPolicy = Symbol('ChatRoomPolicy');
