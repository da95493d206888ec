import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthService } from '../auth/auth.service.js';
import { HashingGate } from '../auth/hashing-gate.js';
import { PasswordHasher } from '../auth/password-hasher.js';
import type { ForumOptions } from '../forum.options.js';
import { type ForumStores, openForumStores } from '../forum-stores.js';
import { SessionCheckCache } from './session-check.cache.js';
import { SessionEndedEvents } from './session-ended.events.js';
import { newSessionToken, sessionKeyOf } from './session-token.js';

describe('SessionCheckCache reuses a check only after a revocation look-up that began after the request', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fc-session-cache-'));
  let stores: ForumStores;
  let auth: AuthService;

  beforeAll(async () => {
    stores = await openForumStores(`sqlite:${join(dir, 'forum.db')}`);
    const options = { sessionTtlSeconds: 3600 } as ForumOptions;
    auth = new AuthService(
      stores.users,
      stores.sessions,
      options,
      new SessionEndedEvents(),
      new HashingGate(),
      new PasswordHasher(),
    );
  });
  afterAll(async () => {
    await stores?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function liveSession(nickname: string): Promise<string> {
    const user = await stores.users.create({ nickname, email: null, passwordHash: 'unused' });
    const token = newSessionToken();
    await stores.sessions.create({ key: sessionKeyOf(token), userId: user.id, expiresAt: Date.now() + 3_600_000 });
    return token;
  }

  /** A cache whose clock the test sets, with a session check that reads the real store. */
  function cacheAt(time: { now: number }) {
    const cache = new SessionCheckCache(stores.sessions, new SessionEndedEvents(), () => time.now);
    return (token: string) => cache.authenticate(token, (t) => auth.authenticate(t));
  }

  it('within one millisecond: a revocation stored (elsewhere) after a look-up began refuses the next request', async () => {
    const token = await liveSession('samemilli');
    const time = { now: Date.now() };
    const authenticate = cacheAt(time);
    expect(await authenticate(token)).not.toBeNull(); // checked and cached
    expect(await authenticate(token)).not.toBeNull(); // reused after a look-up that began at `time.now`
    expect(await stores.sessions.revoke(sessionKeyOf(token))).toBe(true); // another instance logs out
    expect(await authenticate(token)).toBeNull(); // same millisecond, after the revocation answered
  });

  it('after the clock stepped back: a revocation stored elsewhere refuses the next request', async () => {
    const token = await liveSession('clockstep');
    const time = { now: Date.now() };
    const authenticate = cacheAt(time);
    expect(await authenticate(token)).not.toBeNull();
    time.now += 2_000;
    expect(await authenticate(token)).not.toBeNull();
    time.now -= 1_000; // the system clock is set back (NTP step)
    expect(await stores.sessions.revoke(sessionKeyOf(token))).toBe(true);
    expect(await authenticate(token)).toBeNull();
  });

  it('requests arriving in one turn share one look-up, which still sees a revocation stored before they arrived', async () => {
    const tokens = await Promise.all(['turn1', 'turn2', 'turn3'].map((nickname) => liveSession(nickname)));
    let lookUps = 0;
    const counted = Object.create(stores.sessions, {
      revokedSince: { value: (since: number) => (lookUps++, stores.sessions.revokedSince(since)) },
    });
    const cache = new SessionCheckCache(counted, new SessionEndedEvents());
    const authenticate = (token: string) => cache.authenticate(token, (t) => auth.authenticate(t));
    for (const token of tokens) expect(await authenticate(token)).not.toBeNull(); // checked and cached
    lookUps = 0;
    expect(await Promise.all(tokens.map(authenticate))).not.toContain(null);
    expect(lookUps).toBe(1);
    expect(await stores.sessions.revoke(sessionKeyOf(tokens[1]))).toBe(true); // another instance logs out
    const answers = await Promise.all(tokens.map(authenticate));
    expect(answers.map((user) => user?.nickname ?? null)).toEqual(['turn1', null, 'turn3']);
    expect(lookUps).toBe(2);
  });
});
