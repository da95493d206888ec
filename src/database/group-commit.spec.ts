import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';
import { openSqlite } from './sqlite.js';

function setup() {
  const db = openSqlite(':memory:');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT NOT NULL UNIQUE)');
  const insert = db.prepare('INSERT INTO t (v) VALUES (?) RETURNING id');
  const group = new GroupCommit(db, (value: string) => (insert.get(value) as { id: number }).id);
  return { db, group };
}

describe('GroupCommit', () => {
  it('commits the writes of one turn together, in submission order', async () => {
    const { db, group } = setup();
    const ids = await Promise.all(['a', 'b', 'c'].map((v) => group.submit(v)));
    expect(ids).toEqual([1, 2, 3]);
    expect(db.prepare('SELECT v FROM t ORDER BY id').pluck().all()).toEqual(['a', 'b', 'c']);
  });

  it('resolves only once the batch is committed: nothing is visible before', async () => {
    const { db, group } = setup();
    const pending = group.submit('x');
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(0);
    await pending;
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(1);
  });

  it('a failing write rolls back and rejects alone', async () => {
    const { db, group } = setup();
    const results = await Promise.allSettled([group.submit('a'), group.submit('a'), group.submit('b')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(db.prepare('SELECT v FROM t ORDER BY id').pluck().all()).toEqual(['a', 'b']);
  });

  it('rejects the whole batch when the commit itself fails', async () => {
    const { db, group } = setup();
    const pending = group.submit('late');
    db.close();
    await expect(pending).rejects.toThrow();
  });
});
