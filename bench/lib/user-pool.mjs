import { register, login, sessionValid } from './auth-client.mjs';

/** Concurrent HTTP requests while building a pool. */
const CONCURRENCY = 16;
const PASSWORD = 'bench-password-1';

/**
 * The benchmark users of one server database: `bench_0000` … registered and
 * logged in through the real HTTP endpoints. Built once per target per run and
 * reused by every scenario (the database outlives the server processes); when
 * the sessions no longer verify, `ensure` logs everyone in again.
 */
export class UserPool {
  /** @param {number} size */
  constructor(size) {
    this.size = size;
    /** @type {import('./auth-client.mjs').BenchUser[]} */
    this.users = [];
    this.registered = false;
    /** Seconds the last (re)build took, for the report. */
    this.buildSeconds = 0;
    /** Whether the users came from a cache rather than from this run. */
    this.adopted = false;
  }

  /**
   * Takes users registered by an earlier run (their database restored by the caller);
   * `ensure` still verifies their sessions and falls back to logging in or registering.
   * @param {import('./auth-client.mjs').BenchUser[]} users
   */
  adopt(users) {
    this.users = users;
    this.registered = true;
    this.adopted = true;
  }

  /**
   * Makes every user registered and holding a session valid on the server at `baseUrl`.
   * @param {string} baseUrl
   * @returns {Promise<import('./auth-client.mjs').BenchUser[]>}
   */
  async ensure(baseUrl) {
    if (this.users.length === this.size && (await sessionValid(baseUrl, this.users[0].cookie))) return this.users;
    const started = Date.now();
    const names = Array.from({ length: this.size }, (_, i) => `bench_${String(i).padStart(5, '0')}`);
    if (!this.registered) {
      await forEachLimited(names, CONCURRENCY, (n) => register(baseUrl, n, PASSWORD));
      this.registered = true;
    }
    try {
      this.users = await forEachLimited(names, CONCURRENCY, (n) => login(baseUrl, n, PASSWORD));
    } catch (err) {
      if (!this.adopted) throw err;
      // Adopted users that the server does not know: register them after all.
      this.adopted = false;
      this.registered = false;
      return this.ensure(baseUrl);
    }
    this.buildSeconds = (Date.now() - started) / 1000;
    return this.users;
  }
}

/**
 * Maps `items` through `fn` with at most `limit` calls pending; keeps order.
 * @template T, R
 * @param {T[]} items
 * @param {number} limit
 * @param {(item: T) => Promise<R>} fn
 * @returns {Promise<R[]>}
 */
async function forEachLimited(items, limit, fn) {
  const out = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  });
  await Promise.all(lanes);
  return out;
}
