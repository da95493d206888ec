import { mkdtempSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite, type SqliteDatabase } from '../../drivers/sqlite.js';
import { WAL_BACKSTOP_PAGES, WalCheckpointer } from './wal-checkpointer.js';

/** Polls `condition` (at most ~20 s): the worker runs on its own clock. */
async function eventually(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 800 && !condition(); i++) await sleep(25);
  expect(condition(), what).toBe(true);
}

describe('WalCheckpointer (real SQLite file, real worker thread)', () => {
  let dir: string;
  let db: SqliteDatabase;
  let checkpointer: WalCheckpointer | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wal-checkpointer-'));
    db = openSqlite(join(dir, 'chat.db'));
    db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  });
  afterEach(async () => {
    await checkpointer?.stop();
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies committed pages into the database file from its own thread; commits on the store connection do not checkpoint', async () => {
    checkpointer = new WalCheckpointer(db, 20);
    expect(checkpointer.running).toBe(true);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(WAL_BACKSTOP_PAGES);
    const insert = db.prepare('INSERT INTO notes (body) VALUES (?)');
    for (let i = 0; i < 100; i++) insert.run('x'.repeat(4000)); // ~100 commits of a page or two: far below the backstop
    const file = join(dir, 'chat.db');
    await eventually(() => statSync(file).size > 300_000, 'the pages reached the database file');
    expect(db.prepare('SELECT count(*) AS n FROM notes').get()).toEqual({ n: 100 });

    await checkpointer.stop();
    expect(checkpointer.running).toBe(false);
    insert.run('after the worker');
    expect(db.prepare('SELECT count(*) AS n FROM notes').get()).toEqual({ n: 101 });
  });

  it('hands checkpoints back to the commits of the store connection when its own connection fails', async () => {
    unlinkSync(join(dir, 'chat.db')); // the worker cannot open a file that is gone; this connection still works
    checkpointer = new WalCheckpointer(db, 20);
    await eventually(() => !checkpointer!.running, 'the worker failed');
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
  });

  it('does nothing for an in-memory database', () => {
    const memory = openSqlite(':memory:');
    const none = new WalCheckpointer(memory);
    expect(none.running).toBe(false);
    memory.close();
  });
});
