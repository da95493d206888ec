import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A cache of forum-chat's benchmark users between runs, in `bench/out/` (ignored by git):
 * the SQLite file holding just the registered users and their sessions, taken right after
 * the pool was built (before any scenario stored a message), and the users' cookies.
 * A later run starts from a copy of that file, so it skips ~1,000 scrypt registrations and
 * logins yet still begins with no messages. Anything stale is detected by the pool (the
 * sessions no longer verify) and rebuilt; `rm -rf bench/out` or `BENCH_USER_CACHE=0`
 * forces a fresh start.
 */
export class PoolCache {
  /**
   * @param {string} dir `bench/out`
   * @param {number} size users in the pool; a cache of another size is ignored
   */
  constructor(dir, size) {
    this.dir = dir;
    this.size = size;
    this.db = join(dir, 'forum-chat-users.db');
    this.json = join(dir, 'forum-chat-users.json');
  }

  /**
   * Copies the cached database to `dbPath` and returns the cached users, or null
   * (nothing copied) when there is no usable cache.
   * @param {string} dbPath the run's SQLite file
   * @returns {import('./auth-client.mjs').BenchUser[] | null}
   */
  restore(dbPath) {
    if (!existsSync(this.db) || !existsSync(this.json)) return null;
    const users = JSON.parse(readFileSync(this.json, 'utf8'));
    if (!Array.isArray(users) || users.length !== this.size) return null;
    copyFileSync(this.db, dbPath);
    if (existsSync(`${this.db}-wal`)) copyFileSync(`${this.db}-wal`, `${dbPath}-wal`);
    return users;
  }

  /**
   * Saves the run's database and users. Call while the server is idle (no write in progress).
   * @param {string} dbPath
   * @param {import('./auth-client.mjs').BenchUser[]} users
   */
  save(dbPath, users) {
    mkdirSync(this.dir, { recursive: true });
    rmSync(`${this.db}-wal`, { force: true });
    copyFileSync(dbPath, this.db);
    if (existsSync(`${dbPath}-wal`)) copyFileSync(`${dbPath}-wal`, `${this.db}-wal`);
    writeFileSync(this.json, JSON.stringify(users));
  }
}
