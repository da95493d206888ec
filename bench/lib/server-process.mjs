import { spawn } from 'node:child_process';
import { freePort } from './free-port.mjs';

/**
 * One server under test, run as a child process on a free loopback port.
 * The process is started through `sh -c 'ulimit -n <hard>; exec …'` so that its
 * file-descriptor limit is raised and its pid is the server's own (for /proc).
 * `stop()` always leaves no process behind (SIGTERM, then SIGKILL after 5 s).
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
    const child = spawn('sh', ['-c', `ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec ${quoted}`], {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new ServerProcess(spec.name, child, port);
    await server.#waitHealthy(START_TIMEOUT_MS);
    return server;
  }

  /**
   * @param {string} name
   * @param {import('node:child_process').ChildProcess} child
   * @param {number} port
   */
  constructor(name, child, port) {
    this.name = name;
    this.child = child;
    this.port = port;
    /** The last lines the server printed, for error reports. */
    this.log = [];
    this.exited = false;
    /** @type {number | null} */
    this.exitCode = null;
    const keep = (chunk) => {
      this.log.push(...chunk.toString().split('\n').filter(Boolean));
      if (this.log.length > 50) this.log.splice(0, this.log.length - 50);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('exit', (code) => {
      this.exited = true;
      this.exitCode = code;
    });
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
    await this.stop();
    throw new Error(`${this.name} not healthy within ${timeoutMs} ms:\n${this.log.join('\n')}`);
  }

  /** Stops the server and waits until the process is gone. */
  async stop() {
    if (this.exited) return;
    const gone = new Promise((r) => this.child.once('exit', r));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(timer);
  }
}
