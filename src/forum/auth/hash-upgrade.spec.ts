import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ForumOptions } from '../forum.options.js';
import { type ForumStores, openForumStores } from '../forum-stores.js';
import { SessionEndedEvents } from '../sessions/session-ended.events.js';
import { AuthService } from './auth.service.js';
import { HashingGate } from './hashing-gate.js';
import { PasswordHasher } from './password-hasher.js';
import { hashScrypt } from './scrypt-hash.js';

const PASSWORD = 'correct horse battery';

describe('a former scrypt hash is replaced at login while anonymous hashes occupy the bound', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fc-hash-upgrade-'));
  const hasher = new PasswordHasher();
  let stores: ForumStores;
  let gate: HashingGate;
  let auth: AuthService;
  let release: () => void;
  let occupied: Promise<unknown>[];

  beforeAll(async () => {
    stores = await openForumStores(`sqlite:${join(dir, 'forum.db')}`);
    gate = new HashingGate({ concurrency: 1, queue: 4, maxWaitMs: 60_000, perClient: 4 });
    const options = { sessionTtlSeconds: 3600 } as ForumOptions;
    auth = new AuthService(stores.users, stores.sessions, options, new SessionEndedEvents(), gate, hasher);
    // one anonymous hash runs until the test releases it, another waits behind it: the gate is not idle
    const held = new Promise<void>((resolve) => (release = resolve));
    occupied = ['10.0.0.1', '10.0.0.2'].map((address) => gate.run(() => held, { address, account: `name:${address}` }));
  });
  afterAll(async () => {
    release?.();
    await Promise.all(occupied ?? []);
    await stores?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const storedWithScrypt = async (nickname: string) =>
    stores.users.create({
      nickname,
      email: null,
      passwordHash: await hashScrypt(PASSWORD, { N: 1 << 14, r: 8, p: 1 }),
    });

  it('on a known device: in its own lane, at once', async () => {
    const user = await storedWithScrypt('knowndevice');
    const result = await auth.login({ login: user.nickname, password: PASSWORD }, user, {
      address: '10.0.0.3',
      knownDevice: true,
    });
    expect(result.user.id).toBe(user.id);
    const upgraded = (await stores.users.findById(user.id))!.passwordHash;
    expect(upgraded).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await hasher.verify(PASSWORD, upgraded)).toBe(true);
  });
});
