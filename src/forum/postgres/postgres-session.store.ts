import type { PostgresPool } from '../../drivers/postgres.js';
import { LiveSession, SessionRecord, SessionStore } from '../sessions/session.store.js';
import { BatchedLookup } from './batched-lookup.js';

interface SessionRow {
  key: string;
  user_id: string;
  expires_at: string;
  nickname: string;
}

/**
 * `SessionStore` on PostgreSQL, shared by every instance: a revocation is seen by all of them
 * at once. A `find` reads the session and its user's nickname in one query, and concurrent
 * `find`s share that query (`BatchedLookup`).
 */
export class PostgresSessionStore implements SessionStore {
  private readonly unrevoked = new BatchedLookup<string, LiveSession>(async (keys) => {
    const { rows } = await this.pool.query<SessionRow>(
      `SELECT s.key, s.user_id, s.expires_at, u.nickname FROM forum_sessions s JOIN forum_users u ON u.id = s.user_id
       WHERE s.key = ANY($1::text[]) AND s.revoked_at IS NULL`,
      [keys],
    );
    return new Map(
      rows.map((row) => [
        row.key,
        { key: row.key, userId: Number(row.user_id), expiresAt: Number(row.expires_at), nickname: row.nickname },
      ]),
    );
  });

  constructor(private readonly pool: PostgresPool) {}

  async create(session: SessionRecord): Promise<void> {
    await this.pool.query('INSERT INTO forum_sessions (key, user_id, expires_at) VALUES ($1, $2, $3)', [
      session.key,
      session.userId,
      session.expiresAt,
    ]);
  }

  async find(key: string, now: number): Promise<LiveSession | null> {
    const session = await this.unrevoked.get(key);
    return session && session.expiresAt > now ? session : null;
  }

  async revoke(key: string): Promise<boolean> {
    const result = await this.pool.query(
      'UPDATE forum_sessions SET revoked_at = $1 WHERE key = $2 AND revoked_at IS NULL',
      [Date.now(), key],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async revokeAllOfUser(userId: number): Promise<string[]> {
    const now = Date.now();
    const { rows } = await this.pool.query<{ key: string }>(
      'UPDATE forum_sessions SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL AND expires_at > $1 RETURNING key',
      [now, userId],
    );
    return rows.map((row) => row.key);
  }

  async revokedSince(since: number): Promise<string[]> {
    const { rows } = await this.pool.query<{ key: string }>('SELECT key FROM forum_sessions WHERE revoked_at >= $1', [
      since,
    ]);
    return rows.map((row) => row.key);
  }
}
