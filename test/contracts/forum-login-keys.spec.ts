import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openPostgres } from '../../src/drivers/postgres.js';
import { openSqlite } from '../../src/drivers/sqlite.js';
import { openForumStores } from '../../src/forum/forum-stores.js';
import { UserTakenError } from '../../src/forum/users/user.store.js';
import {
  ALWAYS,
  describeWithServices,
  dropSchema,
  postgresUrlFor,
  requireServices,
  testNamespace,
} from '../support/services.js';

const services = await requireServices('postgres');

/** A forum database as an older release left it: a user stored before the folded keys existed. */
interface OldDatabase {
  url: string;
  /** Inserts a row the way the older release did (no keys) and answers its id. */
  insertOldRow(nickname: string, email: string | null): Promise<number>;
  cleanup(): Promise<void>;
}

async function sqliteDatabase(): Promise<OldDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'forum-keys-'));
  const url = `sqlite:${join(dir, 'forum.db')}`;
  return {
    url,
    insertOldRow: async (nickname, email) => {
      const db = openSqlite(join(dir, 'forum.db'));
      const row = db
        .prepare(
          "INSERT INTO forum_users (nickname, email, password_hash, created_at) VALUES (?, ?, 'h', 0) RETURNING id",
        )
        .get(nickname, email) as { id: number };
      db.close();
      return row.id;
    },
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function postgresDatabase(): Promise<OldDatabase> {
  const schema = testNamespace();
  const url = postgresUrlFor(schema);
  return {
    url,
    insertOldRow: async (nickname, email) => {
      const pool = await openPostgres(url, { max: 1, name: 'old release' });
      const { rows } = await pool.query<{ id: string }>(
        "INSERT INTO forum_users (nickname, email, password_hash, created_at) VALUES ($1, $2, 'h', 0) RETURNING id",
        [nickname, email],
      );
      await pool.end();
      return Number(rows[0].id);
    },
    cleanup: () => dropSchema(schema),
  };
}

for (const [name, open, probe] of [
  ['SQLite', sqliteDatabase, ALWAYS],
  ['PostgreSQL', postgresDatabase, services],
] as const)
  describeWithServices(probe, `folded login keys of users stored before them: ${name}`, () => {
    let database: OldDatabase | undefined;
    afterEach(() => database?.cleanup());

    it('are filled at the next start: the user is found by nickname and e-mail in any case', async () => {
      database = await open();
      await (await openForumStores(database.url)).close();
      const id = await database.insertOldRow('Oldtimer', 'Old.Timer@Example.org');
      const stores = await openForumStores(database.url);
      try {
        expect((await stores.users.findByLogin('OLDTIMER'))?.id).toBe(id);
        expect((await stores.users.findByLogin('old.timer@example.ORG'))?.id).toBe(id);
        await expect(
          stores.users.create({ nickname: 'oldTimer', email: null, passwordHash: 'x' }),
        ).rejects.toBeInstanceOf(UserTakenError);
      } finally {
        await stores.close();
      }
    });

    it('nicknames that look alike and were both stored before the check keep working; new look-alikes are refused', async () => {
      database = await open();
      await (await openForumStores(database.url)).close();
      const first = await database.insertOldRow('alice', null);
      const second = await database.insertOldRow('aIice', null);
      const stores = await openForumStores(database.url);
      try {
        expect((await stores.users.findByLogin('alice'))?.id).toBe(first);
        expect((await stores.users.findByLogin('aIice'))?.id).toBe(second);
        await expect(stores.users.create({ nickname: 'a1ice', email: null, passwordHash: 'x' })).rejects.toMatchObject({
          lookAlike: true,
        });
      } finally {
        await stores.close();
      }
    });
  });
