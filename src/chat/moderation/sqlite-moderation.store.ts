import { migrateSqlite, openSqlite, SqliteDatabase } from '../../drivers/sqlite.js';
import { moderationSqliteMigrations } from './moderation.sqlite-migrations.js';
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

/** `ModerationStore` on the embedded SQLite database (the chat's file, its own tables); each call is one statement. */
export class SqliteModerationStore implements ModerationStore {
  private readonly sql;

  constructor(private readonly db: SqliteDatabase) {
    migrateSqlite(db, 'moderation', moderationSqliteMigrations);
    this.sql = {
      block: db.prepare(
        'INSERT INTO chat_blocks (user_id, blocked_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      ),
      unblock: db.prepare('DELETE FROM chat_blocks WHERE user_id = ? AND blocked_id = ?'),
      blockedBy: db.prepare('SELECT blocked_id FROM chat_blocks WHERE user_id = ? ORDER BY blocked_id'),
      blocks: db.prepare('SELECT 1 AS yes FROM chat_blocks WHERE user_id = ? AND blocked_id = ?'),
      mute: db.prepare(
        `INSERT INTO chat_mutes (${MUTE_COLUMNS}) VALUES (@room, @userId, @until, @mutedBy, @createdAt)
         ON CONFLICT (room, user_id) DO UPDATE SET until = excluded.until, muted_by = excluded.muted_by,
           created_at = excluded.created_at`,
      ),
      unmute: db.prepare(
        `DELETE FROM chat_mutes WHERE room = ? AND user_id = ? AND (until IS NULL OR until > ?) RETURNING room`,
      ),
      endExpiredMutes: db.prepare(
        `DELETE FROM chat_mutes WHERE (room, user_id) IN
           (SELECT room, user_id FROM chat_mutes WHERE until <= ? ORDER BY until LIMIT ?)
         RETURNING ${MUTE_COLUMNS}`,
      ),
      nextMuteEnd: db.prepare('SELECT MIN(until) AS until FROM chat_mutes WHERE until > ?'),
      muteOf: db.prepare(
        `SELECT ${MUTE_COLUMNS} FROM chat_mutes WHERE room = ? AND user_id = ? AND (until IS NULL OR until > ?)`,
      ),
      mutes: db.prepare(
        `SELECT ${MUTE_COLUMNS} FROM chat_mutes WHERE until IS NULL OR until > ? ORDER BY room, user_id`,
      ),
      flag: db.prepare(
        `INSERT INTO chat_flags (message_id, room, flagger_id, reason, created_at)
         VALUES (@messageId, @room, @flaggerId, @reason, @createdAt)
         ON CONFLICT (message_id, flagger_id) DO NOTHING RETURNING ${FLAG_COLUMNS}`,
      ),
      flagOf: db.prepare(`SELECT ${FLAG_COLUMNS} FROM chat_flags WHERE message_id = ? AND flagger_id = ?`),
      findFlag: db.prepare(`SELECT ${FLAG_COLUMNS} FROM chat_flags WHERE id = ?`),
      openFlags: db.prepare(
        `SELECT ${FLAG_COLUMNS} FROM chat_flags WHERE room = ? AND resolved_at IS NULL ORDER BY id`,
      ),
      resolveFlag: db.prepare(
        `UPDATE chat_flags SET resolved_by = @by, resolved_at = @at, resolution = @resolution
         WHERE id = @id AND resolved_at IS NULL RETURNING ${FLAG_COLUMNS}`,
      ),
      audit: db.prepare(
        `INSERT INTO chat_audit (actor_id, action, room, target_user_id, message_id, flag_id, detail, created_at)
         VALUES (@actorId, @action, @room, @targetUserId, @messageId, @flagId, @detail, @createdAt)
         RETURNING ${AUDIT_COLUMNS}`,
      ),
      auditLog: db.prepare(`SELECT ${AUDIT_COLUMNS} FROM chat_audit WHERE id < ? ORDER BY id DESC LIMIT ?`),
    };
  }

  /** Opens the SQLite file at `path` and migrates it. */
  static open(path: string): SqliteModerationStore {
    return new SqliteModerationStore(openSqlite(path));
  }

  async block(userId: number, blockedId: number, at: number): Promise<void> {
    this.sql.block.run(userId, blockedId, at);
  }

  async unblock(userId: number, blockedId: number): Promise<void> {
    this.sql.unblock.run(userId, blockedId);
  }

  async blockedBy(userId: number): Promise<number[]> {
    return (this.sql.blockedBy.all(userId) as Array<{ blocked_id: number }>).map((row) => row.blocked_id);
  }

  async blocks(userId: number, otherId: number): Promise<boolean> {
    return this.sql.blocks.get(userId, otherId) !== undefined;
  }

  async mute(mute: Mute): Promise<void> {
    this.sql.mute.run(mute);
  }

  async unmute(room: string, userId: number, now: number): Promise<boolean> {
    return this.sql.unmute.get(room, userId, now) !== undefined;
  }

  async muteOf(room: string, userId: number, now: number): Promise<Mute | null> {
    const row = this.sql.muteOf.get(room, userId, now) as MuteRow | undefined;
    return row ? toMute(row) : null;
  }

  async mutes(now: number): Promise<Mute[]> {
    return (this.sql.mutes.all(now) as MuteRow[]).map(toMute);
  }

  async endExpiredMutes(now: number, limit: number): Promise<Mute[]> {
    return (this.sql.endExpiredMutes.all(now, limit) as MuteRow[]).map(toMute);
  }

  async nextMuteEnd(now: number): Promise<number | null> {
    return (this.sql.nextMuteEnd.get(now) as { until: number | null }).until;
  }

  async flag(flag: Omit<Flag, 'id' | 'resolvedBy' | 'resolvedAt' | 'resolution'>) {
    const row = this.sql.flag.get(flag) as FlagRow | undefined;
    if (row) return { flag: toFlag(row), created: true };
    return { flag: toFlag(this.sql.flagOf.get(flag.messageId, flag.flaggerId) as FlagRow), created: false };
  }

  async openFlags(room: string): Promise<Flag[]> {
    return (this.sql.openFlags.all(room) as FlagRow[]).map(toFlag);
  }

  async findFlag(id: number): Promise<Flag | null> {
    const row = this.sql.findFlag.get(id) as FlagRow | undefined;
    return row ? toFlag(row) : null;
  }

  async resolveFlag(id: number, resolution: { by: number; at: number; resolution: string }): Promise<Flag | null> {
    const row = this.sql.resolveFlag.get({ id, ...resolution }) as FlagRow | undefined;
    return row ? toFlag(row) : null;
  }

  async audit(entry: Omit<AuditEntry, 'id'>): Promise<AuditEntry> {
    return toAudit(this.sql.audit.get(entry) as AuditRow);
  }

  async auditLog(query: { beforeId?: number; limit: number }): Promise<AuditEntry[]> {
    const rows = this.sql.auditLog.all(query.beforeId ?? Number.MAX_SAFE_INTEGER, query.limit) as AuditRow[];
    return rows.map(toAudit);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
