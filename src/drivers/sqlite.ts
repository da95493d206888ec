import type Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { requirePeer } from './optional-peer.js';

/** A better-sqlite3 connection. */
export type SqliteDatabase = Database.Database;

/** One schema step; `id` orders the steps and is recorded once applied. */
export interface SqliteMigration {
  id: number;
  sql: string;
}

/**
 * Opens (creating the folder and file if needed) a SQLite database tuned for a chat
 * server: write-ahead logging, so a committed transaction survives the process being
 * killed; `synchronous=NORMAL` (durable against a process crash, one fsync per
 * checkpoint); a busy timeout so a second connection waits instead of failing. Needs the
 * optional package better-sqlite3 (a `MissingPeerError` names it when absent).
 */
export function openSqlite(path: string): SqliteDatabase {
  const Driver = requirePeer<typeof Database>('better-sqlite3', 'a "sqlite:" database URL');
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Driver(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  return db;
}

/**
 * Applies the migrations of `namespace` that are not applied yet, each in its own
 * transaction, in `id` order. Safe to run at every start and from several connections.
 */
export function migrateSqlite(db: SqliteDatabase, namespace: string, migrations: SqliteMigration[]): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    namespace TEXT NOT NULL, id INTEGER NOT NULL, applied_at INTEGER NOT NULL,
    PRIMARY KEY (namespace, id))`);
  const applied = db.prepare('SELECT 1 FROM schema_migrations WHERE namespace = ? AND id = ?');
  const record = db.prepare('INSERT INTO schema_migrations (namespace, id, applied_at) VALUES (?, ?, ?)');
  for (const migration of [...migrations].sort((a, b) => a.id - b.id)) {
    db.transaction(() => {
      if (applied.get(namespace, migration.id)) return;
      db.exec(migration.sql);
      record.run(namespace, migration.id, Date.now());
    }).immediate();
  }
}
