import type { Statement } from 'better-sqlite3';
import { SqliteDatabase } from '../../drivers/sqlite.js';
import { LiveSession, SessionRecord, SessionStore } from '../sessions/session.store.js';

interface SessionRow {
  key: string;
  user_id: number;
  expires_at: number;
  nickname: string;
}

/** `SessionStore` on the embedded SQLite database. */
export class SqliteSessionStore implements SessionStore {
  private readonly insert: Statement;
  private readonly live: Statement;
  private readonly revokeOne: Statement;
  private readonly revokeUser: Statement;
  private readonly revokedAfter: Statement;

  constructor(db: SqliteDatabase) {
    this.insert = db.prepare('INSERT INTO forum_sessions (key, user_id, expires_at) VALUES (?, ?, ?)');
    this.live = db.prepare(
      `SELECT s.key, s.user_id, s.expires_at, u.nickname FROM forum_sessions s JOIN forum_users u ON u.id = s.user_id
       WHERE s.key = ? AND s.revoked_at IS NULL AND s.expires_at > ?`,
    );
    this.revokeOne = db.prepare('UPDATE forum_sessions SET revoked_at = ? WHERE key = ? AND revoked_at IS NULL');
    this.revokeUser = db.prepare(
      'UPDATE forum_sessions SET revoked_at = @now WHERE user_id = @userId AND revoked_at IS NULL AND expires_at > @now RETURNING key',
    );
    this.revokedAfter = db.prepare('SELECT key FROM forum_sessions WHERE revoked_at >= ?').pluck();
  }

  async create(session: SessionRecord): Promise<void> {
    this.insert.run(session.key, session.userId, session.expiresAt);
  }

  async find(key: string, now: number): Promise<LiveSession | null> {
    const row = this.live.get(key, now) as SessionRow | undefined;
    return row ? { key: row.key, userId: row.user_id, expiresAt: row.expires_at, nickname: row.nickname } : null;
  }

  async revoke(key: string): Promise<boolean> {
    return this.revokeOne.run(Date.now(), key).changes > 0;
  }

  async revokeAllOfUser(userId: number): Promise<string[]> {
    return (this.revokeUser.all({ now: Date.now(), userId }) as Array<{ key: string }>).map((row) => row.key);
  }

  async revokedSince(since: number): Promise<string[]> {
    return this.revokedAfter.all(since) as string[];
  }
}
