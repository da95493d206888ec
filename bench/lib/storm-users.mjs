import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { register } from './auth-client.mjs';
import { ServerProcess } from './server-process.mjs';

const PASSWORD = 'bench-password-1';
/** Sessions of the seeded users stay valid this long (the server checks `expires_at`). */
const SESSION_LIFETIME_MS = 30 * 24 * 3600 * 1000;

/**
 * The reconnect storm's users: `count` distinct accounts with one live session each, in a
 * forum-chat SQLite file kept in `bench/out/` (ignored by git) with their cookies, made
 * once and copied for every storm. Registering 10,000 users over HTTP costs 10,000 scrypt
 * hashes (15+ minutes on 2 cores), so only the first user is registered over HTTP (which
 * creates the schema and one real password hash); the others are inserted with that same
 * hash, and each gets a session the way login stores one (SHA-256 of a random 256-bit
 * token as the key, the token as the cookie). What the storm measures — handshakes with
 * the full session check, presence, resume — is the same as for users made over HTTP.
 */
export class StormUsers {
  /**
   * @param {string} dir `bench/out`
   * @param {number} count
   */
  constructor(dir, count) {
    this.count = count;
    this.db = join(dir, `storm-users-${count}.db`);
    this.json = join(dir, `storm-users-${count}.json`);
    this.dir = dir;
    /** Whether `prepare` found the users already made. */
    this.reused = false;
  }

  /**
   * Makes (or finds) the users and copies their database to `dbPath`.
   * @param {string} dbPath the storm server's SQLite file
   * @param {(env: Record<string, string>) => ServerProcess | Promise<ServerProcess>} startServer a forum-chat on `dbPath`
   * @returns {Promise<import('./auth-client.mjs').BenchUser[]>}
   */
  async prepare(dbPath, startServer) {
    if (existsSync(this.db) && existsSync(this.json)) {
      this.reused = true;
      return this.restore(dbPath);
    }
    mkdirSync(this.dir, { recursive: true });
    rmSync(dbPath, { force: true });
    const server = await startServer({});
    try {
      await register(server.httpUrl, 'storm_00000', PASSWORD);
    } finally {
      await server.stop();
    }
    const users = seed(dbPath, this.count);
    copyFileSync(dbPath, this.db);
    writeFileSync(this.json, JSON.stringify(users));
    return users;
  }

  /** @param {string} dbPath */
  restore(dbPath) {
    rmSync(`${dbPath}-wal`, { force: true });
    copyFileSync(this.db, dbPath);
    return JSON.parse(readFileSync(this.json, 'utf8'));
  }
}

/**
 * Adds users `storm_00001…` beside the registered `storm_00000` (same password hash) and
 * one session for each, in one transaction; returns every user with its cookie.
 * @param {string} dbPath
 * @param {number} count
 */
function seed(dbPath, count) {
  const db = new Database(dbPath);
  try {
    const first = db.prepare("SELECT id, nickname, password_hash FROM forum_users WHERE nickname = 'storm_00000'").get();
    const insertUser = db.prepare(
      'INSERT INTO forum_users (nickname, email, password_hash, created_at) VALUES (?, NULL, ?, ?) RETURNING id',
    );
    const insertSession = db.prepare('INSERT INTO forum_sessions (key, user_id, expires_at) VALUES (?, ?, ?)');
    const expires = Date.now() + SESSION_LIFETIME_MS;
    /** @type {import('./auth-client.mjs').BenchUser[]} */
    const users = [];
    db.transaction(() => {
      for (let i = 0; i < count; i++) {
        const nickname = `storm_${String(i).padStart(5, '0')}`;
        const id = i === 0 ? first.id : insertUser.get(nickname, first.password_hash, Date.now()).id;
        const token = randomBytes(32).toString('base64url');
        insertSession.run(createHash('sha256').update(token).digest('hex'), id, expires);
        users.push({ id, nickname, cookie: `session_id=${token}` });
      }
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    return users;
  } finally {
    db.close();
  }
}
