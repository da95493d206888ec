import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.mjs';

/**
 * One server under test, run as a child process on a free loopback port.
 * The process is started through `sh -c 'ulimit -n <hard>; exec …'` so that its
 * file-descriptor limit is raised and its pid is the server's own (for /proc).
 * `stop()` always leaves no process behind (SIGTERM, then SIGKILL after 5 s).
 * The server's stdout and stderr go to a file, as in a deployment that logs to a file or
 * journal: through a pipe, a server logging a line per connection would wait for this
 * busy process to read it (a write to a full pipe blocks), and measure the runner instead.
 */
/** Longest a server may take to answer `/health` after it was spawned (a busy shared machine needs more than 30 s). */
const START_TIMEOUT_MS = 90_000;

export class ServerProcess {
  /**
   * @param {{ name: string, command: string[], cwd: string, env: Record<string, string> }} spec
   * @returns {Promise<ServerProcess>} once `GET /health` answers 200
   */
  static async start(spec) {
    const port = await freePort();
    const quoted = spec.command.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
    // a name may be a checkout's path: only its file-name-safe characters name the log
    const logPath = join(
      tmpdir(),
      `forum-chat-bench-${spec.name.replace(/[^A-Za-z0-9_.-]+/g, '_')}-${process.pid}-${port}.log`,
    );
    const logFd = openSync(logPath, 'w');
    const child = spawn('sh', ['-c', `ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec ${quoted}`], {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env, PORT: String(port) },
      stdio: ['ignore', logFd, logFd],
    });
    closeSync(logFd);
    const server = new ServerProcess(spec.name, child, port, logPath);
    await server.#waitHealthy(START_TIMEOUT_MS);
    return server;
  }

  /**
   * @param {string} name
   * @param {import('node:child_process').ChildProcess} child
   * @param {number} port
   * @param {string} logPath where its stdout and stderr go
   */
  constructor(name, child, port, logPath) {
    this.name = name;
    this.child = child;
    this.port = port;
    this.logPath = logPath;
    this.exited = false;
    /** @type {number | null} */
    this.exitCode = null;
    child.on('exit', (code) => {
      this.exited = true;
      this.exitCode = code;
    });
  }

  /** The last 50 lines the server printed, for error reports. */
  get log() {
    try {
      return readFileSync(this.logPath, 'utf8').split('\n').filter(Boolean).slice(-50);
    } catch {
      return [];
    }
  }

  /** @returns {number} the server's pid */
  get pid() {
    return /** @type {number} */ (this.child.pid);
  }

  get httpUrl() {
    return `http://127.0.0.1:${this.port}`;
  }

  get wsUrl() {
    return `ws://127.0.0.1:${this.port}/ws`;
  }

  async #waitHealthy(timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited) throw new Error(`${this.name} exited with ${this.exitCode}:\n${this.log.join('\n')}`);
      try {
        const res = await fetch(`${this.httpUrl}/health`);
        await res.arrayBuffer();
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const log = this.log;
    await this.stop();
    throw new Error(`${this.name} not healthy within ${timeoutMs} ms:\n${log.join('\n')}`);
  }

  /** Stops the server and waits until the process is gone. */
  async stop() {
    await this.#stopProcess();
    rmSync(this.logPath, { force: true });
  }

  async #stopProcess() {
    if (this.exited) return;
    const gone = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(timer);
  }
}
