/**
 * A room of the stand-in forum as its administrators define it: public (`members` null)
 * or readable by its members only; a read-only room takes posts from its moderators only;
 * its moderators read, post and moderate it either way.
 */
export interface ForumRoom {
  id: string;
  title: string;
  /** null: a public room; else the ids of the users who may read and post in it. */
  members: number[] | null;
  moderators: number[];
  /** Only the moderators may post. */
  readOnly: boolean;
}

/** One user's standing in one room, as the store reads it. */
export interface RoomStanding {
  id: string;
  title: string;
  public: boolean;
  readOnly: boolean;
  member: boolean;
  moderator: boolean;
}

/**
 * The stand-in forum's rooms. `put` replaces a room whole (title, members, moderators) in
 * one transaction, creating it if needed; `standingsOf` lists every room with the user's
 * standing in it, by id, and `standingIn` one room (null when it does not exist).
 */
export interface RoomStore {
  put(room: ForumRoom): Promise<{ created: boolean }>;
  /** Removes the room; false when there was none. */
  delete(id: string): Promise<boolean>;
  get(id: string): Promise<ForumRoom | null>;
  list(): Promise<ForumRoom[]>;
  standingIn(userId: number, roomId: string): Promise<RoomStanding | null>;
  standingsOf(userId: number): Promise<RoomStanding[]>;
}

/** Injection token of the `RoomStore`. */
export const RoomStore = Symbol('RoomStore');
