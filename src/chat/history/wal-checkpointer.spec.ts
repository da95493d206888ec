import { mkdtempSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite, type SqliteDatabase } from '../../drivers/sqlite.js';
import { JsonLogger } from '../../logging/json.logger.js';
import { WAL_BACKSTOP_PAGES, WalCheckpointer } from './wal-checkpointer.js';

/** Polls `condition` (at most ~20 s): the worker runs on its own clock. */
async function eventually(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 800 && !condition(); i++) await sleep(25);
  expect(condition(), what).toBe(true);
}

describe('WalCheckpointer (real SQLite file, real worker thread)', () => {
  let dir: string;
  let file: string;
  let db: SqliteDatabase;
  let checkpointer: WalCheckpointer | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wal-checkpointer-'));
    file = join(dir, 'chat.db');
    db = openSqlite(file);
    db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  });
  afterEach(async () => {
    await checkpointer?.stop();
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies the log into the database file from its own thread once enough pages wait, and the log starts again from its beginning', async () => {
    checkpointer = new WalCheckpointer(db, { thresholdPages: 200, pollMs: 5 });
    expect(checkpointer.running).toBe(true);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(WAL_BACKSTOP_PAGES);
    const insert = db.prepare('INSERT INTO notes (body) VALUES (?)');
    const walPages = () => Math.floor(statSync(`${file}-wal`).size / 4096);
    for (let i = 0; i < 40; i++) insert.run('x'.repeat(4000)); // a page or two each: below the threshold
    await sleep(100);
    expect(statSync(file).size, 'nothing copied below the threshold').toBeLessThan(50_000);
    for (let i = 0; i < 150; i++) insert.run('y'.repeat(4000));
    await eventually(() => statSync(file).size > 600_000, 'the pages reached the database file');
    const round = walPages();
    for (let rounds = 0; rounds < 5; rounds++) {
      for (let i = 0; i < 150; i++) insert.run('z'.repeat(4000));
      await sleep(150);
    }
    // five rounds went through a log that was started again each time it had been copied
    expect(walPages()).toBeLessThan(2 * round);
    expect(db.prepare('SELECT count(*) AS n FROM notes').get()).toEqual({ n: 940 });

    await checkpointer.stop();
    expect(checkpointer.running).toBe(false);
    insert.run('after the worker');
    expect(db.prepare('SELECT count(*) AS n FROM notes').get()).toEqual({ n: 941 });
  });

  it('hands checkpoints back to the commits of the store connection when its own connection fails, and says so', async () => {
    const lines: string[] = [];
    Logger.overrideLogger(new JsonLogger((line) => lines.push(line)));
    try {
      unlinkSync(file); // the worker cannot open a file that is gone; this connection still works
      checkpointer = new WalCheckpointer(db, { pollMs: 5 });
      await eventually(() => !checkpointer!.running, 'the worker failed');
    } finally {
      Logger.overrideLogger(false);
    }
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({
        level: 'warn',
        context: 'WalCheckpointer',
        message: expect.stringContaining('SQLite'),
      }),
    ]);
  });

  it('does nothing for an in-memory database', () => {
    const memory = openSqlite(':memory:');
    const none = new WalCheckpointer(memory);
    expect(none.running).toBe(false);
    expect(memory.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    memory.close();
  });
});
