/** A user's read state in one room. */
export interface RoomReadState {
  room: string;
  /** Id and time of the room's last message; 0 and null while it has none. */
  lastMessageId: number;
  lastMessageAt: number | null;
  /** The user's read position in the room (0: nothing marked read). */
  readId: number;
  /** Messages of others after `readId` that are not deleted, at most `UNREAD_COUNT_LIMIT + 1`. */
  unread: number;
  /** Messages after `readId` that mention the user, at most `UNREAD_COUNT_LIMIT + 1`. */
  mentions: number;
}

/**
 * Read positions per user and room, kept by the message store beside the messages.
 * Guarantees:
 * - `roomReadStates` answers each of `rooms`, in that order, with its last message and the
 *   user's bounded unread count (one short index range per room, whatever the room's size);
 * - `markRoomRead` moves the user's position in `room` to `messageId`, capped at the room's
 *   last message, never backwards, durably, and answers the room's state then.
 */
export interface RoomReadIndex {
  roomReadStates(query: { userId: number; rooms: readonly string[] }): Promise<RoomReadState[]>;
  markRoomRead(mark: { userId: number; room: string; messageId: number }): Promise<RoomReadState>;
}
