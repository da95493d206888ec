import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { SqliteDatabase } from '../../drivers/sqlite.js';

/** How often the background connection checkpoints the write-ahead log. */
export const WAL_CHECKPOINT_INTERVAL_MS = 250;
/**
 * WAL pages after which a commit on the store's own connection still checkpoints, should
 * the background one fall behind or be gone (SQLite's default is 1,000 pages).
 */
export const WAL_BACKSTOP_PAGES = 10_000;
/** SQLite's own `wal_autocheckpoint`, restored when the background connection fails. */
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1_000;

/** The worker: its own connection to the file, a PASSIVE checkpoint per interval, closed on any message. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driverPath);
const db = new Database(workerData.path, { fileMustExist: true });
const timer = setInterval(() => db.pragma('wal_checkpoint(PASSIVE)'), workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Keeps SQLite's write-ahead-log checkpoints off the event loop. By default the commit that
 * takes the log past 1,000 pages copies them into the database file and syncs both, inside
 * that commit: a stall of milliseconds (tens on a slow disk) before the message it stores
 * can be published, acked or delivered, every few dozen messages. Here a connection of its
 * own on a worker thread checkpoints PASSIVE-ly (never waiting for, nor blocking, the
 * writer) every `WAL_CHECKPOINT_INTERVAL_MS`, and the store's connection checkpoints on
 * commit only past `WAL_BACKSTOP_PAGES` (back to SQLite's default if the worker fails).
 * Durability is unchanged: a commit is in the log when it resolves; the checkpoint's syncs
 * are the same, on another thread. Nothing for an in-memory database.
 */
export class WalCheckpointer {
  private worker: Worker | null = null;

  constructor(
    private readonly db: SqliteDatabase,
    intervalMs = WAL_CHECKPOINT_INTERVAL_MS,
  ) {
    if (db.memory) return;
    db.pragma(`wal_autocheckpoint = ${WAL_BACKSTOP_PAGES}`);
    const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driverPath, path: db.name, intervalMs } });
    worker.unref();
    worker.on('error', () => this.fallBack());
    worker.on('exit', () => this.fallBack());
    this.worker = worker;
  }

  /** Whether the background connection is running. */
  get running(): boolean {
    return this.worker !== null;
  }

  /** Commits checkpoint on the store's connection again, as SQLite does by default. */
  private fallBack(): void {
    if (this.worker === null) return;
    this.worker = null;
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
  }

  /** Stops the background connection (before the store's own closes); resolves once it is closed. */
  async stop(): Promise<void> {
    const worker = this.worker;
    if (worker === null) return;
    this.worker = null;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage('close');
    await exited;
  }
}
