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

  it('commits a lone write at once, and groups the writes that follow it in the same turn', async () => {
    const { db, group } = setup();
    const count = () => db.prepare('SELECT count(*) FROM t').pluck().get();
    const first = group.submit('x');
    expect(count()).toBe(1);
    const rest = [group.submit('y'), group.submit('z')];
    expect(count()).toBe(1);
    expect(await Promise.all([first, ...rest])).toEqual([1, 2, 3]);
    expect(count()).toBe(3);
  });

  it('commits at once again in a later turn', async () => {
    const { db, group } = setup();
    await group.submit('a');
    await new Promise((resolve) => setImmediate(resolve));
    const pending = group.submit('b');
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(2);
    await pending;
  });

  it('a failing write rolls back and rejects alone', async () => {
    const { db, group } = setup();
    const results = await Promise.allSettled([group.submit('a'), group.submit('a'), group.submit('b')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(db.prepare('SELECT v FROM t ORDER BY id').pluck().all()).toEqual(['a', 'b']);
  });

  it('runs a batch with a failing write again, each write alone: the others are stored once each, in order', async () => {
    const { db, group } = setup();
    const first = group.submit('x'); // committed at once; the next four are grouped after the turn
    const results = await Promise.allSettled([first, ...['a', 'b', 'a', 'c'].map((v) => group.submit(v))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : null))).toEqual([1, 2, 3, null, 4]);
    expect(db.prepare('SELECT id, v FROM t ORDER BY id').all()).toEqual([
      { id: 1, v: 'x' },
      { id: 2, v: 'a' },
      { id: 3, v: 'b' },
      { id: 4, v: 'c' },
    ]);
  });

  it('runs a batch once when its commit fails without any write throwing, and rejects every write of it', async () => {
    const db = openSqlite(':memory:');
    db.exec(`CREATE TABLE parent (id INTEGER PRIMARY KEY);
      CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)`);
    const insert = db.prepare('INSERT INTO child (parent_id) VALUES (?) RETURNING id');
    const runs: number[] = [];
    const group = new GroupCommit(db, (parentId: number) => {
      runs.push(parentId);
      return (insert.get(parentId) as { id: number }).id;
    });
    db.exec('INSERT INTO parent (id) VALUES (1)');
    await group.submit(1); // committed at once; the next two are grouped after the turn
    // a missing parent fails the commit (the key is checked then), not the write
    const results = await Promise.allSettled([group.submit(1), group.submit(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(runs).toEqual([1, 1, 2]);
    expect(db.prepare('SELECT count(*) FROM child').pluck().get()).toBe(1);
  });

  it('rejects the whole batch when the commit itself fails', async () => {
    const { db, group } = setup();
    await group.submit('first'); // committed at once; the next two are grouped after the turn
    const pending = [group.submit('late'), group.submit('later')];
    db.close();
    for (const write of pending) await expect(write).rejects.toThrow();
  });
});
