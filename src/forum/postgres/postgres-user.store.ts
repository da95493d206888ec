import type { PostgresPool } from '../../drivers/postgres.js';
import { loginKey } from '../users/login-key.js';
import { nicknameSkeleton } from '../users/nickname-skeleton.js';
import { UserRecord, UserStore, UserTakenError } from '../users/user.store.js';

interface UserRow {
  id: string;
  nickname: string;
  email: string | null;
  password_hash: string;
}

const toRecord = (row: UserRow): UserRecord => ({
  id: Number(row.id),
  nickname: row.nickname,
  email: row.email,
  passwordHash: row.password_hash,
});

/** PostgreSQL's code for a unique constraint violation. */
const UNIQUE_VIOLATION = '23505';

/**
 * One range of the byte-ordered index on `lower(nickname)` (`text_pattern_ops`, so the
 * database's collation cannot reorder `_` and `-`): prefix ≤ name < prefix + U+FFFF, after the cursor.
 */
export const SEARCH_BY_NICKNAME = `SELECT id, nickname FROM forum_users
  WHERE lower(nickname) ~>=~ $1 AND lower(nickname) ~<~ ($1 || chr(65535)) AND lower(nickname) ~>~ $2
  ORDER BY lower(nickname) USING ~<~ LIMIT $3`;

/**
 * Fills the folded keys (`loginKey`) of users stored before the keys existed. A row whose
 * key another user already holds keeps no key (it cannot be found by that name) and is
 * reported in the answer.
 */
export async function backfillPostgresLoginKeys(pool: PostgresPool): Promise<number[]> {
  const { rows } = await pool.query<Pick<UserRow, 'id' | 'nickname' | 'email'>>(
    'SELECT id, nickname, email FROM forum_users WHERE nickname_key IS NULL ORDER BY id',
  );
  const clashes: number[] = [];
  for (const row of rows) {
    try {
      await pool.query('UPDATE forum_users SET nickname_key = $1, email_key = $2 WHERE id = $3', [
        loginKey(row.nickname),
        row.email === null ? null : loginKey(row.email),
        row.id,
      ]);
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
      clashes.push(Number(row.id));
    }
  }
  return clashes;
}

/**
 * Fills the skeleton (`nicknameSkeleton`) of users stored before it existed. A nickname that
 * looks like an earlier user's keeps none (it still logs in) and is reported in the answer.
 */
export async function backfillPostgresNicknameSkeletons(pool: PostgresPool): Promise<number[]> {
  const { rows } = await pool.query<Pick<UserRow, 'id' | 'nickname'>>(
    'SELECT id, nickname FROM forum_users WHERE nickname_skeleton IS NULL ORDER BY id',
  );
  const clashes: number[] = [];
  for (const row of rows) {
    try {
      await pool.query('UPDATE forum_users SET nickname_skeleton = $1 WHERE id = $2', [
        nicknameSkeleton(row.nickname),
        row.id,
      ]);
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
      clashes.push(Number(row.id));
    }
  }
  return clashes;
}

/**
 * `UserStore` on PostgreSQL; names are found by their `loginKey` (never the database's
 * `lower()`), uniqueness is enforced by unique indexes on the keys.
 */
export class PostgresUserStore implements UserStore {
  constructor(private readonly pool: PostgresPool) {}

  async create(user: { nickname: string; email: string | null; passwordHash: string }): Promise<UserRecord> {
    try {
      const { rows } = await this.pool.query<UserRow>(
        `INSERT INTO forum_users (nickname, email, password_hash, created_at, nickname_key, email_key, nickname_skeleton)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
        [
          user.nickname,
          user.email,
          user.passwordHash,
          Date.now(),
          loginKey(user.nickname),
          user.email === null ? null : loginKey(user.email),
          nicknameSkeleton(user.nickname),
        ],
      );
      return toRecord(rows[0]);
    } catch (error) {
      const { code, constraint } = error as { code?: string; constraint?: string };
      if (code === UNIQUE_VIOLATION) {
        const lookAlike = constraint === 'forum_users_nickname_skeleton';
        throw new UserTakenError(
          lookAlike ? 'nickname looks like a registered one' : 'nickname or email already registered',
          lookAlike,
        );
      }
      throw error;
    }
  }

  async findByLogin(login: string): Promise<UserRecord | null> {
    const { rows } = await this.pool.query<UserRow>(
      'SELECT * FROM forum_users WHERE nickname_key = $1 OR email_key = $1 ORDER BY id LIMIT 1',
      [loginKey(login)],
    );
    return rows.length > 0 ? toRecord(rows[0]) : null;
  }

  async findById(id: number): Promise<UserRecord | null> {
    if (!Number.isSafeInteger(id) || id <= 0) return null;
    const { rows } = await this.pool.query<UserRow>('SELECT * FROM forum_users WHERE id = $1', [id]);
    return rows.length > 0 ? toRecord(rows[0]) : null;
  }

  async replacePasswordHash(id: number, previous: string, next: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'UPDATE forum_users SET password_hash = $1 WHERE id = $2 AND password_hash = $3',
      [next, id, previous],
    );
    return rowCount === 1;
  }

  async list(): Promise<Array<Pick<UserRecord, 'id' | 'nickname'>>> {
    const { rows } = await this.pool.query<{ id: string; nickname: string }>(
      'SELECT id, nickname FROM forum_users ORDER BY id',
    );
    return rows.map((row) => ({ id: Number(row.id), nickname: row.nickname }));
  }

  async findByIds(ids: number[]): Promise<Array<Pick<UserRecord, 'id' | 'nickname'>>> {
    if (ids.length === 0) return [];
    const { rows } = await this.pool.query<{ id: string; nickname: string }>(
      'SELECT id, nickname FROM forum_users WHERE id = ANY($1::bigint[]) ORDER BY id',
      [ids],
    );
    return rows.map((row) => ({ id: Number(row.id), nickname: row.nickname }));
  }

  async findByNicknames(nicknames: string[]): Promise<Array<Pick<UserRecord, 'id' | 'nickname'>>> {
    if (nicknames.length === 0) return [];
    const { rows } = await this.pool.query<{ id: string; nickname: string }>(
      'SELECT id, nickname FROM forum_users WHERE lower(nickname) = ANY($1::text[])',
      [nicknames.map((nickname) => nickname.toLowerCase())],
    );
    return rows.map((row) => ({ id: Number(row.id), nickname: row.nickname }));
  }

  async searchByNickname(query: {
    prefix: string;
    after: string;
    limit: number;
  }): Promise<Array<Pick<UserRecord, 'id' | 'nickname'>>> {
    const { rows } = await this.pool.query<{ id: string; nickname: string }>(SEARCH_BY_NICKNAME, [
      query.prefix,
      query.after,
      query.limit,
    ]);
    return rows.map((row) => ({ id: Number(row.id), nickname: row.nickname }));
  }
}
