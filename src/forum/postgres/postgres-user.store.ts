import type { PostgresPool } from '../../database/postgres.js';
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

/** `UserStore` on PostgreSQL; uniqueness is enforced by unique indexes on the lower-cased names. */
export class PostgresUserStore implements UserStore {
  constructor(private readonly pool: PostgresPool) {}

  async create(user: { nickname: string; email: string | null; passwordHash: string }): Promise<UserRecord> {
    try {
      const { rows } = await this.pool.query<UserRow>(
        'INSERT INTO forum_users (nickname, email, password_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING *',
        [user.nickname, user.email, user.passwordHash, Date.now()],
      );
      return toRecord(rows[0]);
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION)
        throw new UserTakenError('nickname or email already registered');
      throw error;
    }
  }

  async findByLogin(login: string): Promise<UserRecord | null> {
    const { rows } = await this.pool.query<UserRow>(
      'SELECT * FROM forum_users WHERE lower(nickname) = lower($1) OR lower(email) = lower($1) ORDER BY id LIMIT 1',
      [login],
    );
    return rows.length > 0 ? toRecord(rows[0]) : null;
  }

  async findById(id: number): Promise<UserRecord | null> {
    if (!Number.isSafeInteger(id) || id <= 0) return null;
    const { rows } = await this.pool.query<UserRow>('SELECT * FROM forum_users WHERE id = $1', [id]);
    return rows.length > 0 ? toRecord(rows[0]) : null;
  }

  async list(): Promise<Array<Pick<UserRecord, 'id' | 'nickname'>>> {
    const { rows } = await this.pool.query<{ id: string; nickname: string }>(
      'SELECT id, nickname FROM forum_users ORDER BY id',
    );
    return rows.map((row) => ({ id: Number(row.id), nickname: row.nickname }));
  }
}
