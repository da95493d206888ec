import { Logger } from '@nestjs/common';
import { createRequire } from 'node:module';
import { endianness } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SqliteDatabase } from '../../drivers/sqlite.js';

/** Pages waiting in the write-ahead log that start a background checkpoint (SQLite's own default threshold). */
export const WAL_CHECKPOINT_PAGES = 1_000;
/**
 * Pages in the log past which a commit on the store's own connection still checkpoints, should
 * the background one fall behind or be gone.
 */
export const WAL_BACKSTOP_PAGES = 10_000;
/** How often the background connection reads how many pages wait (one small read of the wal-index). */
export const WAL_POLL_MS = 25;
/** SQLite's own `wal_autocheckpoint`, restored when the background connection fails. */
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1_000;

/**
 * The worker. It reads the wal-index header from the `-shm` file, whose layout SQLite documents
 * and keeps stable across versions (https://www.sqlite.org/walformat.html): `iVersion` 3007000
 * at 0, `mxFrame` (frames in the log) at 16, a second copy of the 48-byte header at 48 (a read
 * whose two copies differ caught a writer mid-update and is ignored), `nBackfill` (frames
 * already copied into the database file) at 96, all in the machine's byte order. It
 * checkpoints PASSIVE-ly once `threshold` frames wait; then, while the log is that long,
 * whatever still waits at each poll, so that the log is soon wholly copied at a moment no
 * commit runs, and the next writer starts it again from its beginning. A file it cannot read
 * that way ends it with an error (the store then checkpoints as SQLite does by default).
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { openSync, readSync, closeSync } = require('node:fs');
const Database = require(workerData.driverPath);
const db = new Database(workerData.path, { fileMustExist: true });
const shm = openSync(workerData.path + '-shm', 'r');
const header = Buffer.alloc(104);
const u32 = workerData.littleEndian ? (at) => header.readUInt32LE(at) : (at) => header.readUInt32BE(at);
function poll() {
  if (readSync(shm, header, 0, 104, 0) < 104) return;
  if (header.compare(header, 0, 48, 48, 96) !== 0 || u32(16) === 0) return;
  if (u32(0) !== 3007000) throw new Error('unknown wal-index version ' + u32(0));
  const frames = u32(16);
  const waiting = frames - u32(96);
  if (waiting >= workerData.threshold || (frames >= workerData.threshold && waiting > 0))
    db.pragma('wal_checkpoint(PASSIVE)');
}
const timer = setInterval(poll, workerData.pollMs);
parentPort.once('message', () => {
  clearInterval(timer);
  closeSync(shm);
  db.close();
  parentPort.close();
});
`;

/**
 * Keeps SQLite's write-ahead-log checkpoints out of the store's commits. By default the commit
 * that takes the log past 1,000 pages copies them into the database file and syncs both files
 * before it returns: a stall of several milliseconds on the event loop, before the message it
 * stores can be acked or delivered, every few hundred messages (and, under a steady stream of
 * appends, for a good part of every second). Here a connection of its own on a worker thread
 * checkpoints PASSIVE-ly (it never waits for, nor blocks, the writer) once
 * `WAL_CHECKPOINT_PAGES` pages wait, the same cadence as SQLite's default; the store's
 * connection checkpoints on commit only past `WAL_BACKSTOP_PAGES` (and from SQLite's default
 * again if the worker fails, with a WARN line). Durability is unchanged: a commit is in the log when it
 * resolves, and a checkpoint syncs exactly as before, on another thread. Nothing for an
 * in-memory database.
 */
export class WalCheckpointer {
  private readonly logger = new Logger(WalCheckpointer.name);
  private worker: Worker | null = null;

  constructor(
    private readonly db: SqliteDatabase,
    options: { thresholdPages?: number; pollMs?: number } = {},
  ) {
    if (db.memory) return;
    db.pragma(`wal_autocheckpoint = ${WAL_BACKSTOP_PAGES}`);
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        driverPath: createRequire(import.meta.url).resolve('better-sqlite3'),
        path: db.name,
        threshold: options.thresholdPages ?? WAL_CHECKPOINT_PAGES,
        pollMs: options.pollMs ?? WAL_POLL_MS,
        littleEndian: endianness() === 'LE',
      },
    });
    worker.unref();
    worker.on('error', (error) => this.fallBack(error.message));
    worker.on('exit', (code) => this.fallBack(`exit code ${code}`));
    this.worker = worker;
  }

  /** Whether the background connection is running. */
  get running(): boolean {
    return this.worker !== null;
  }

  /** Commits checkpoint on the store's connection again, as SQLite does by default (logged once, with `reason`). */
  private fallBack(reason: string): void {
    if (this.worker === null) return;
    this.worker = null;
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
    this.logger.warn(`background checkpoints of the SQLite log stopped (${reason}); commits checkpoint it again`);
  }

  /** Stops the background connection (before the store's own closes); resolves once it is closed. */
  async stop(): Promise<void> {
    const worker = this.worker;
    if (worker === null) return;
    this.worker = null;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.ref(); // the process waits for it to close its connection
    worker.postMessage('close');
    await exited;
  }
}
