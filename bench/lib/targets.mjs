import { existsSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/**
 * The servers under test. `spec()` returns how to start each one as a child process;
 * the runner adds `PORT`. forum-chat runs its production build (`node dist/main.js`)
 * on a SQLite file in the run's temporary directory, with the message rate limit and the
 * per-address limits off (all load comes from 127.0.0.1).
 */
export class Targets {
  /**
   * @param {string} root repository root
   * @param {string} tmpDir this run's scratch directory
   */
  constructor(root, tmpDir) {
    this.root = root;
    this.tmpDir = tmpDir;
    this.baselineSecret = randomBytes(16).toString('hex');
  }

  /**
   * @param {string} name `forum-chat` or `baseline`
   * @param {Record<string, string>} [extraEnv] scenario settings (forum-chat only)
   * @returns {{ name: string, command: string[], cwd: string, env: Record<string, string> }}
   */
  spec(name, extraEnv = {}) {
    const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
    if (name === 'baseline') {
      return {
        name,
        command: [process.execPath, ...nodeArgs, join(this.root, 'bench/baseline/server.mjs')],
        cwd: this.root,
        env: { BASELINE_SESSION_SECRET: this.baselineSecret },
      };
    }
    if (name === 'forum-chat') {
      return {
        name,
        command: [process.execPath, ...nodeArgs, join(this.root, 'dist/main.js')],
        cwd: this.root,
        env: {
          NODE_ENV: 'production',
          DATABASE_URL: `sqlite:${join(this.tmpDir, 'bench.db')}`,
          CHAT_RATE_LIMIT: 'off',
          // One client address plays thousands of users: per-address and per-login limits
          // are off, and a user may hold more sockets than the 10 that (e) gives each.
          CHAT_HANDSHAKE_RATE_PER_IP: 'off',
          AUTH_LOGIN_RATE_PER_IP: 'off',
          // the benchmark's own users are never refused for the hashing bound; builds that hash
          // with scrypt (before Argon2id) read AUTH_SCRYPT_COST and make cheap hashes with it
          AUTH_SCRYPT_COST: '14',
          AUTH_HASH_QUEUE: '10000',
          AUTH_HASH_WAIT_MS: '60000',
          AUTH_LOGIN_RATE_PER_LOGIN: 'off',
          AUTH_REGISTER_RATE_PER_IP: 'off',
          CHAT_MAX_SOCKETS_PER_USER: '100',
          ...extraEnv,
        },
      };
    }
    throw new Error(`unknown target ${name}`);
  }

  /**
   * Builds forum-chat (`npm run build`) when `dist/main.js` is missing or older than
   * a file under `src/`. Throws with the build output when the build fails.
   * @returns {boolean} whether a build ran
   */
  buildForumChatIfStale() {
    const main = join(this.root, 'dist/main.js');
    if (existsSync(main) && statSync(main).mtimeMs >= newestMtime(join(this.root, 'src'))) return false;
    execFileSync('npm', ['run', 'build'], { cwd: this.root, stdio: 'inherit' });
    if (!existsSync(main)) throw new Error('npm run build produced no dist/main.js');
    return true;
  }
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}
