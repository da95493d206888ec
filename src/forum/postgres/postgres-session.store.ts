import type { PostgresPool } from '../../drivers/postgres.js';
import { SessionRecord, SessionStore } from '../sessions/session.store.js';

interface SessionRow {
  key: string;
  user_id: string;
  expires_at: string;
}

/** `SessionStore` on PostgreSQL, shared by every instance: a revocation is seen by all of them at once. */
export class PostgresSessionStore implements SessionStore {
  constructor(private readonly pool: PostgresPool) {}

  async create(session: SessionRecord): Promise<void> {
    await this.pool.query('INSERT INTO forum_sessions (key, user_id, expires_at) VALUES ($1, $2, $3)', [
      session.key,
      session.userId,
      session.expiresAt,
    ]);
  }

  async find(key: string, now: number): Promise<SessionRecord | null> {
    const { rows } = await this.pool.query<SessionRow>(
      'SELECT key, user_id, expires_at FROM forum_sessions WHERE key = $1 AND revoked_at IS NULL AND expires_at > $2',
      [key, now],
    );
    return rows.length > 0
      ? { key: rows[0].key, userId: Number(rows[0].user_id), expiresAt: Number(rows[0].expires_at) }
      : null;
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
