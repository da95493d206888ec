import { expect, it } from 'vitest';
import { ForumStores, openForumStores } from '../../src/forum/forum-stores.js';
import { UserTakenError } from '../../src/forum/users/user.store.js';
import {
  ALWAYS,
  describeWithServices,
  dropSchema,
  postgresUrlFor,
  requireServices,
  testNamespace,
} from '../support/services.js';
import { openForEachTest } from '../support/contract-subjects.js';

const services = await requireServices('postgres');

/** An engine under test: a fresh forum database, and a way to throw it away. */
interface ForumEngine {
  name: string;
  open(): Promise<{ stores: ForumStores; second: ForumStores; cleanup(): Promise<void> }>;
}

const sqlite: ForumEngine = {
  name: 'SQLite',
  open: async () => {
    const stores = await openForumStores('sqlite::memory:');
    return { stores, second: stores, cleanup: () => stores.close() };
  },
};

const postgres: ForumEngine = {
  name: 'PostgreSQL',
  open: async () => {
    const schema = testNamespace();
    const stores = await openForumStores(postgresUrlFor(schema));
    const second = await openForumStores(postgresUrlFor(schema));
    return {
      stores,
      second,
      cleanup: async () => {
        await Promise.all([stores.close(), second.close()]);
        await dropSchema(schema);
      },
    };
  },
};

const HOUR = 3_600_000;

for (const engine of [sqlite, postgres])
  describeWithServices(
    engine === postgres ? services : ALWAYS,
    `UserStore and SessionStore contract: ${engine.name}`,
    () => {
      let stores: ForumStores;
      let second: ForumStores;
      openForEachTest(engine.open, (opened) => ({ stores, second } = opened));

      it('creates users with positive ids and finds them by id, nickname or email, case-insensitively', async () => {
        const alice = await stores.users.create({ nickname: 'Alice', email: 'Alice@Example.org', passwordHash: 'h1' });
        const bob = await second.users.create({ nickname: 'bob', email: null, passwordHash: 'h2' });
        expect(alice).toEqual({ id: alice.id, nickname: 'Alice', email: 'Alice@Example.org', passwordHash: 'h1' });
        expect(alice.id).toBeGreaterThan(0);
        expect(bob.id).toBeGreaterThan(alice.id);
        expect(await stores.users.findById(alice.id)).toEqual(alice);
        expect(await stores.users.findById(bob.id + 1000)).toBeNull();
        expect(await stores.users.findByLogin('ALICE')).toEqual(alice);
        expect(await stores.users.findByLogin('alice@example.ORG')).toEqual(alice);
        expect(await second.users.findByLogin('Bob')).toEqual(bob);
        expect(await stores.users.findByLogin('nobody')).toBeNull();
        expect(await stores.users.list()).toEqual([
          { id: alice.id, nickname: 'Alice' },
          { id: bob.id, nickname: 'bob' },
        ]);
      });

      it('refuses a nickname or email taken in another case with UserTakenError', async () => {
        await stores.users.create({ nickname: 'carol', email: 'carol@example.org', passwordHash: 'h' });
        await expect(stores.users.create({ nickname: 'CAROL', email: null, passwordHash: 'h' })).rejects.toBeInstanceOf(
          UserTakenError,
        );
        await expect(
          second.users.create({ nickname: 'carol2', email: 'CAROL@example.org', passwordHash: 'h' }),
        ).rejects.toBeInstanceOf(UserTakenError);
      });

      it('lets exactly one of concurrent registrations of one nickname win', async () => {
        const attempts = await Promise.allSettled(
          Array.from({ length: 6 }, (_, i) =>
            (i % 2 ? stores : second).users.create({ nickname: 'Dave', email: null, passwordHash: `h${i}` }),
          ),
        );
        expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
        for (const attempt of attempts)
          if (attempt.status === 'rejected') expect(attempt.reason).toBeInstanceOf(UserTakenError);
        expect(await stores.users.list()).toHaveLength(1);
      });

      it('folds names one way, in JavaScript: İ (U+0130) is not i, K (U+212A, Kelvin) is k', async () => {
        const tiny = await stores.users.create({ nickname: 'tinyiii', email: null, passwordHash: 'h1' });
        const inci = await stores.users.create({ nickname: 'inci', email: 'İnci@Example.org', passwordHash: 'h2' });
        expect(await second.users.findByLogin('t\u0130nyiii')).toBeNull();
        expect(await second.users.findByLogin('TINYIII')).toEqual(tiny);
        expect(await second.users.findByLogin('\u0130NCI@EXAMPLE.ORG')).toEqual(inci);
        expect(await second.users.findByLogin('i\u0307nci@example.org')).toEqual(inci);
        expect(await second.users.findByLogin('inci@example.org')).toBeNull();
        const kate = await stores.users.create({ nickname: 'kate', email: null, passwordHash: 'h3' });
        expect(await second.users.findByLogin('\u212Aate')).toEqual(kate);
        await expect(
          second.users.create({ nickname: '\u212Aate', email: null, passwordHash: 'h4' }),
        ).rejects.toBeInstanceOf(UserTakenError);
        // a name that folds differently is a different name, on every store
        const dotted = await second.users.create({ nickname: 't\u0130nyiii', email: null, passwordHash: 'h5' });
        expect(dotted.id).not.toBe(tiny.id);
        expect(await stores.users.findByLogin('t\u0130NYIII')).toEqual(dotted);
      });

      it('refuses a nickname that looks like a registered one (TR39 skeleton) with UserTakenError(lookAlike)', async () => {
        await stores.users.create({ nickname: 'alice', email: null, passwordHash: 'h1' });
        for (const lookAlike of ['aIice', 'AIice', 'a1ice'])
          await expect(
            second.users.create({ nickname: lookAlike, email: null, passwordHash: 'h2' }),
          ).rejects.toMatchObject({ name: 'UserTakenError', lookAlike: true });
        await expect(
          second.users.create({ nickname: 'ALICE', email: null, passwordHash: 'h2' }),
        ).rejects.toBeInstanceOf(UserTakenError);
        await stores.users.create({ nickname: 'modern', email: null, passwordHash: 'h3' });
        await expect(
          second.users.create({ nickname: 'rnodern', email: null, passwordHash: 'h4' }),
        ).rejects.toMatchObject({
          lookAlike: true,
        });
        // different looks are different nicknames
        expect((await second.users.create({ nickname: 'alicia', email: null, passwordHash: 'h5' })).nickname).toBe(
          'alicia',
        );
      });

      it('replaces a password hash only while it is still the one read', async () => {
        const alice = await stores.users.create({ nickname: 'alice', email: null, passwordHash: 'old' });
        expect(await second.users.replacePasswordHash(alice.id, 'old', 'new')).toBe(true);
        expect(await stores.users.replacePasswordHash(alice.id, 'old', 'newer')).toBe(false);
        expect((await stores.users.findById(alice.id))?.passwordHash).toBe('new');
      });

      it('finds live sessions only: not expired, not revoked', async () => {
        const user = await stores.users.create({ nickname: 'erin', email: null, passwordHash: 'h' });
        const now = Date.now();
        await stores.sessions.create({ key: 'k-live', userId: user.id, expiresAt: now + HOUR });
        await stores.sessions.create({ key: 'k-old', userId: user.id, expiresAt: now - 1 });
        expect(await second.sessions.find('k-live', now)).toEqual({
          key: 'k-live',
          userId: user.id,
          expiresAt: now + HOUR,
          nickname: 'erin',
        });
        expect(await stores.sessions.find('k-live', now + HOUR)).toBeNull();
        expect(await stores.sessions.find('k-old', now)).toBeNull();
        expect(await stores.sessions.find('k-unknown', now)).toBeNull();
        expect(await stores.sessions.revoke('k-live')).toBe(true);
        expect(await second.sessions.find('k-live', now)).toBeNull();
        expect(await stores.sessions.revoke('k-live')).toBe(false);
        expect(await stores.sessions.revoke('k-unknown')).toBe(false);
      });

      it('answers concurrent look-ups each with its own session (and nickname) or user, counting a revocation stored before them', async () => {
        const users = await Promise.all(
          Array.from({ length: 30 }, (_, i) =>
            stores.users.create({ nickname: `many${i}`, email: null, passwordHash: `h${i}` }),
          ),
        );
        const now = Date.now();
        await Promise.all(
          users.map((user, i) =>
            stores.sessions.create({ key: `m${i}`, userId: user.id, expiresAt: now + (i % 3 === 0 ? -1 : HOUR) }),
          ),
        );
        await stores.sessions.revoke('m1');
        const [sessions, found] = await Promise.all([
          Promise.all([...users.map((_, i) => second.sessions.find(`m${i}`, now)), second.sessions.find('m2', now)]),
          Promise.all([
            ...users.map((user) => second.users.findById(user.id)),
            second.users.findById(users[0].id + 1000),
          ]),
        ]);
        expect(sessions).toEqual([
          ...users.map((user, i) =>
            i % 3 === 0 || i === 1
              ? null
              : { key: `m${i}`, userId: user.id, expiresAt: now + HOUR, nickname: `many${i}` },
          ),
          { key: 'm2', userId: users[2].id, expiresAt: now + HOUR, nickname: 'many2' },
        ]);
        expect(found).toEqual([...users, null]);
        await second.sessions.revoke('m2');
        expect(await Promise.all([stores.sessions.find('m2', now), stores.sessions.find('m4', now)])).toEqual([
          null,
          { key: 'm4', userId: users[4].id, expiresAt: now + HOUR, nickname: 'many4' },
        ]);
      });

      it('revokes every live session of one user and answers their keys', async () => {
        const frank = await stores.users.create({ nickname: 'frank', email: null, passwordHash: 'h' });
        const grace = await stores.users.create({ nickname: 'grace', email: null, passwordHash: 'h' });
        const now = Date.now();
        await stores.sessions.create({ key: 'f1', userId: frank.id, expiresAt: now + HOUR });
        await stores.sessions.create({ key: 'f2', userId: frank.id, expiresAt: now + HOUR });
        await stores.sessions.create({ key: 'f3', userId: frank.id, expiresAt: now + HOUR });
        await stores.sessions.create({ key: 'g1', userId: grace.id, expiresAt: now + HOUR });
        await stores.sessions.revoke('f3');
        expect((await second.sessions.revokeAllOfUser(frank.id)).sort()).toEqual(['f1', 'f2']);
        expect(await stores.sessions.find('f1', now)).toBeNull();
        expect(await stores.sessions.find('g1', now)).not.toBeNull();
        expect(await stores.sessions.revokeAllOfUser(frank.id)).toEqual([]);
      });

      it('answers the keys revoked since a time, by any connection, for the re-check of live sockets', async () => {
        const henry = await stores.users.create({ nickname: 'henry', email: null, passwordHash: 'h' });
        const now = Date.now();
        for (const key of ['h1', 'h2', 'h3'])
          await stores.sessions.create({ key, userId: henry.id, expiresAt: now + HOUR });
        expect(await second.sessions.revokedSince(now - HOUR)).toEqual([]);
        const before = Date.now();
        await stores.sessions.revoke('h1');
        await second.sessions.revoke('h2');
        expect((await second.sessions.revokedSince(before)).sort()).toEqual(['h1', 'h2']);
        expect(await stores.sessions.revokedSince(Date.now() + 1_000)).toEqual([]);
      });

      it('answers ping', async () => {
        expect(await stores.ping()).toBe(true);
      });
    },
  );
