import { migratePostgres, openPostgres, PostgresPool } from '../../drivers/postgres.js';
import { moderationPostgresMigrations } from './moderation.postgres-migrations.js';
import {
  AUDIT_COLUMNS,
  AuditRow,
  FLAG_COLUMNS,
  FlagRow,
  MUTE_COLUMNS,
  MuteRow,
  toAudit,
  toFlag,
  toMute,
} from './moderation-rows.js';
import type { AuditEntry, Flag, ModerationStore, Mute } from './moderation.store.js';

/** `ModerationStore` on PostgreSQL, shared by every instance of a cluster; each call is one statement. */
export class PostgresModerationStore implements ModerationStore {
  constructor(private readonly pool: PostgresPool) {}

  /** Opens a small pool on `url` (see `openPostgres` for the `schema` parameter) and migrates it. */
  static async open(url: string): Promise<PostgresModerationStore> {
    const pool = await openPostgres(url, { max: 4, name: 'moderation' });
    try {
      await migratePostgres(pool, 'moderation', moderationPostgresMigrations);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresModerationStore(pool);
  }

  async block(userId: number, blockedId: number, at: number): Promise<void> {
    await this.pool.query(
      'INSERT INTO chat_blocks (user_id, blocked_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [userId, blockedId, at],
    );
  }

  async unblock(userId: number, blockedId: number): Promise<void> {
    await this.pool.query('DELETE FROM chat_blocks WHERE user_id = $1 AND blocked_id = $2', [userId, blockedId]);
  }

  async blockedBy(userId: number): Promise<number[]> {
    const { rows } = await this.pool.query<{ blocked_id: string }>(
      'SELECT blocked_id FROM chat_blocks WHERE user_id = $1 ORDER BY blocked_id',
      [userId],
    );
    return rows.map((row) => Number(row.blocked_id));
  }

  async blocks(userId: number, otherId: number): Promise<boolean> {
    const { rowCount } = await this.pool.query('SELECT 1 FROM chat_blocks WHERE user_id = $1 AND blocked_id = $2', [
      userId,
      otherId,
    ]);
    return (rowCount ?? 0) > 0;
  }

  async mute(mute: Mute): Promise<void> {
    await this.pool.query(
      `INSERT INTO chat_mutes (${MUTE_COLUMNS}) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (room, user_id) DO UPDATE SET until = EXCLUDED.until, muted_by = EXCLUDED.muted_by,
         created_at = EXCLUDED.created_at`,
      [mute.room, mute.userId, mute.until, mute.mutedBy, mute.createdAt],
    );
  }

  async unmute(room: string, userId: number, now: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      'DELETE FROM chat_mutes WHERE room = $1 AND user_id = $2 AND (until IS NULL OR until > $3)',
      [room, userId, now],
    );
    return (rowCount ?? 0) > 0;
  }

  async muteOf(room: string, userId: number, now: number): Promise<Mute | null> {
    const { rows } = await this.pool.query<MuteRow>(
      `SELECT ${MUTE_COLUMNS} FROM chat_mutes WHERE room = $1 AND user_id = $2 AND (until IS NULL OR until > $3)`,
      [room, userId, now],
    );
    return rows.length > 0 ? toMute(rows[0]) : null;
  }

  async mutes(now: number): Promise<Mute[]> {
    const { rows } = await this.pool.query<MuteRow>(
      `SELECT ${MUTE_COLUMNS} FROM chat_mutes WHERE until IS NULL OR until > $1 ORDER BY room, user_id`,
      [now],
    );
    return rows.map(toMute);
  }

  async endExpiredMutes(now: number, limit: number): Promise<Mute[]> {
    const { rows } = await this.pool.query<MuteRow>(
      `DELETE FROM chat_mutes WHERE (room, user_id) IN
         (SELECT room, user_id FROM chat_mutes WHERE until <= $1 ORDER BY until LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING ${MUTE_COLUMNS}`,
      [now, limit],
    );
    return rows.map(toMute);
  }

  async nextMuteEnd(now: number): Promise<number | null> {
    const { rows } = await this.pool.query<{ until: string | null }>(
      'SELECT MIN(until) AS until FROM chat_mutes WHERE until > $1',
      [now],
    );
    return rows[0].until === null ? null : Number(rows[0].until);
  }

  async flag(flag: Omit<Flag, 'id' | 'resolvedBy' | 'resolvedAt' | 'resolution'>) {
    const inserted = await this.pool.query<FlagRow>(
      `INSERT INTO chat_flags (message_id, room, flagger_id, reason, created_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (message_id, flagger_id) DO NOTHING RETURNING ${FLAG_COLUMNS}`,
      [flag.messageId, flag.room, flag.flaggerId, flag.reason, flag.createdAt],
    );
    if (inserted.rows.length > 0) return { flag: toFlag(inserted.rows[0]), created: true };
    const { rows } = await this.pool.query<FlagRow>(
      `SELECT ${FLAG_COLUMNS} FROM chat_flags WHERE message_id = $1 AND flagger_id = $2`,
      [flag.messageId, flag.flaggerId],
    );
    return { flag: toFlag(rows[0]), created: false };
  }

  async openFlags(room: string): Promise<Flag[]> {
    const { rows } = await this.pool.query<FlagRow>(
      `SELECT ${FLAG_COLUMNS} FROM chat_flags WHERE room = $1 AND resolved_at IS NULL ORDER BY id`,
      [room],
    );
    return rows.map(toFlag);
  }

  async findFlag(id: number): Promise<Flag | null> {
    const { rows } = await this.pool.query<FlagRow>(`SELECT ${FLAG_COLUMNS} FROM chat_flags WHERE id = $1`, [id]);
    return rows.length > 0 ? toFlag(rows[0]) : null;
  }

  async resolveFlag(id: number, resolution: { by: number; at: number; resolution: string }): Promise<Flag | null> {
    const { rows } = await this.pool.query<FlagRow>(
      `UPDATE chat_flags SET resolved_by = $2, resolved_at = $3, resolution = $4
       WHERE id = $1 AND resolved_at IS NULL RETURNING ${FLAG_COLUMNS}`,
      [id, resolution.by, resolution.at, resolution.resolution],
    );
    return rows.length > 0 ? toFlag(rows[0]) : null;
  }

  async audit(entry: Omit<AuditEntry, 'id'>): Promise<AuditEntry> {
    const { rows } = await this.pool.query<AuditRow>(
      `INSERT INTO chat_audit (actor_id, action, room, target_user_id, message_id, flag_id, detail, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${AUDIT_COLUMNS}`,
      [
        entry.actorId,
        entry.action,
        entry.room,
        entry.targetUserId,
        entry.messageId,
        entry.flagId,
        entry.detail,
        entry.createdAt,
      ],
    );
    return toAudit(rows[0]);
  }

  async auditLog(query: { beforeId?: number; limit: number }): Promise<AuditEntry[]> {
    const { rows } = await this.pool.query<AuditRow>(
      `SELECT ${AUDIT_COLUMNS} FROM chat_audit WHERE id < $1 ORDER BY id DESC LIMIT $2`,
      [query.beforeId ?? Number.MAX_SAFE_INTEGER, query.limit],
    );
    return rows.map(toAudit);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
