import type { PublicUser } from '../protocol/frames.js';

/**
 * Who the chat can talk to: the registered users of the forum. Supplied by the
 * importing application (the stand-in forum's `ForumUserDirectory`, or a team's own).
 * `findById` resolves null for an unknown id; `list` returns every user once. The optional
 * methods make lists and mentions cheap at forum scale; without them the chat falls back
 * to `findById` per user and to filtering `list()` (fine for a few thousand users).
 */
export interface ChatUserDirectory {
  findById(id: number): Promise<PublicUser | null>;
  list(): Promise<PublicUser[]>;
  /** The users with these ids; unknown ids are left out. */
  findByIds?(ids: number[]): Promise<PublicUser[]>;
  /** The users with these nicknames, compared case-insensitively; unknown ones are left out. */
  findByNicknames?(nicknames: string[]): Promise<PublicUser[]>;
  /**
   * At most `limit` users whose nickname starts with `prefix` (case-insensitively), ordered
   * by lower-cased nickname, after the lower-cased nickname `after` ('' for the first page).
   */
  searchByNickname?(query: { prefix: string; after: string; limit: number }): Promise<PublicUser[]>;
}
