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
});
