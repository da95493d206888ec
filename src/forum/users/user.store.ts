/** A registered forum user as stored. */
export interface UserRecord {
  id: number;
  nickname: string;
  email: string | null;
  passwordHash: string;
}

/**
 * Raised by `UserStore.create` when the nickname or email is already registered, or
 * (`lookAlike`) when the nickname looks like a registered one (`nicknameSkeleton`).
 */
export class UserTakenError extends Error {
  override name = 'UserTakenError';

  constructor(
    message: string,
    readonly lookAlike = false,
  ) {
    super(message);
  }
}

/**
 * The forum's users. Nicknames and emails are unique case-insensitively (`loginKey`), and
 * no two nicknames look alike (`nicknameSkeleton`); `create` rejects a duplicate or a
 * look-alike with `UserTakenError` even under concurrent registrations.
 */
export interface UserStore {
  create(user: { nickname: string; email: string | null; passwordHash: string }): Promise<UserRecord>;
  /** Finds by nickname or email, case-insensitively. */
  findByLogin(login: string): Promise<UserRecord | null>;
  findById(id: number): Promise<UserRecord | null>;
  /**
   * Replaces the user's password hash if it is still `previous` (a concurrent change wins);
   * true when replaced.
   */
  replacePasswordHash(id: number, previous: string, next: string): Promise<boolean>;
  /** Every user, ordered by id. */
  list(): Promise<Array<Pick<UserRecord, 'id' | 'nickname'>>>;
  /** The users with these ids (unknown ids are left out), ordered by id. */
  findByIds(ids: number[]): Promise<Array<Pick<UserRecord, 'id' | 'nickname'>>>;
  /** The users with these nicknames, compared case-insensitively (unknown ones are left out). */
  findByNicknames(nicknames: string[]): Promise<Array<Pick<UserRecord, 'id' | 'nickname'>>>;
  /**
   * At most `limit` users whose lower-cased nickname starts with `prefix` (lower-case) and
   * sorts after `after` (a lower-cased nickname; '' for the first page), in that order: one
   * index range, whatever the number of users.
   */
  searchByNickname(query: {
    prefix: string;
    after: string;
    limit: number;
  }): Promise<Array<Pick<UserRecord, 'id' | 'nickname'>>>;
}

/** Injection token of the `UserStore`. */
export const UserStore = Symbol('UserStore');
