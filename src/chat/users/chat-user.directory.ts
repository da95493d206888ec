import type { PublicUser } from '../protocol/frames.js';

/**
 * Who the chat can talk to: the registered users of the forum. Supplied by the
 * importing application (the stand-in forum's `ForumUserDirectory`, or a team's own).
 * `findById` resolves null for an unknown id; `list` returns every user once.
 */
export interface ChatUserDirectory {
  findById(id: number): Promise<PublicUser | null>;
  list(): Promise<PublicUser[]>;
}
