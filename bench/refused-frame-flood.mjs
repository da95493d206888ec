// One account floods refused frames (bad JSON, unknown types, unknown recipients, invalid
// fields) from 10 sockets, reconnecting whenever one is closed, while 10 other users each
// send a chat_message every 250 ms. Prints the other users' ack p50/p99 idle and under the
// flood, alternating idle and flood windows, for each server build given, side by side, and
// the server's CPU use (share of one core) in each kind of window: what the flood costs it.
//
//   npm run build && node bench/refused-frame-flood.mjs                 # this checkout's dist/
//   BENCH_FLOOD_ROOTS=/path/to/old,/work/wt/x node bench/refused-frame-flood.mjs  # several builds
//
// Each root must hold a built dist/main.js and its node_modules. Never part of `npm test`.
import { execSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { WebSocket } from 'ws';
import { login, register } from './lib/auth-client.mjs';
import { cpuSeconds } from './lib/proc-stat.mjs';
import { ServerProcess } from './lib/server-process.mjs';

const HERE = resolve(import.meta.dirname, '..');
const FLOODER = join(HERE, 'test/support/refused-frame-flooder.mjs');
const ROOTS = (process.env.BENCH_FLOOD_ROOTS ?? HERE).split(',').filter(Boolean);
const WINDOW_MS = Number(process.env.BENCH_FLOOD_WINDOW_MS ?? 8_000);
const ROUNDS = Number(process.env.BENCH_FLOOD_ROUNDS ?? 2);
// e.g. BENCH_FLOOD_NODE_ARGS=--cpu-prof,--cpu-prof-dir=/tmp/prof to profile the server
const NODE_ARGS = (process.env.BENCH_FLOOD_NODE_ARGS ?? '').split(',').filter(Boolean);
const NICE = process.env.BENCH_FLOOD_NICE === '1';
const VICTIMS = 10;
const FLOOD_SOCKETS = 10;
const GAP_MS = 250;
const PASSWORD = 'correct horse battery';

function quantile(samples, q) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * q) - 1))] ?? NaN;
}

function openSocket(url, cookie) {
  return new Promise((done, fail) => {
    const ws = new WebSocket(url, { headers: { cookie } });
    ws.once('open', () => done(ws));
    ws.once('error', fail);
  });
}

/** Each victim sends a message every GAP_MS for WINDOW_MS and records each ack's latency. */
async function measure(victims, label) {
  const latencies = [];
  const until = Date.now() + WINDOW_MS;
  let lost = 0;
  await Promise.all(
    victims.map(async (ws, v) => {
      for (let i = 0; Date.now() < until; i++) {
        const clientId = `${label}-${v}-${i}`;
        const sentAt = performance.now();
        const acked = new Promise((done) => {
          const timer = setTimeout(() => done(false), 10_000);
          const onMessage = (data) => {
            const frame = JSON.parse(data.toString());
            if (frame.type !== 'ack' || frame.client_id !== clientId) return;
            clearTimeout(timer);
            ws.off('message', onMessage);
            done(true);
          };
          ws.on('message', onMessage);
        });
        ws.send(JSON.stringify({ type: 'chat_message', content: clientId, client_id: clientId }));
        if (await acked) latencies.push(performance.now() - sentAt);
        else lost++;
        await new Promise((r) => setTimeout(r, GAP_MS));
      }
    }),
  );
  return { latencies, lost };
}

async function startFlooder(wsUrl, cookie) {
  // BENCH_FLOOD_NICE=1: the flooder runs at the lowest CPU priority, as if on a machine of its own
  const command = NICE ? ['nice', '-n', '19', process.execPath] : [process.execPath];
  const child = spawn(command[0], [...command.slice(1), FLOODER, wsUrl, cookie, String(FLOOD_SOCKETS)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  await new Promise((done) => child.stdout.on('data', () => output.includes('flooding') && done()));
  return async () => {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
    return JSON.parse(output.trim().split('\n').pop());
  };
}

async function run(root) {
  const say = (m) => process.env.BENCH_FLOOD_DEBUG && console.error(`[${new Date().toISOString()}] ${m}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'flood-bench-'));
  const server = await ServerProcess.start({
    name: root,
    command: [process.execPath, ...NODE_ARGS, join(root, 'dist/main.js')],
    cwd: root,
    env: {
      DATABASE_URL: `sqlite:${join(dataDir, 'chat.db')}`,
      AUTH_REGISTER_RATE_PER_IP: 'off',
      AUTH_LOGIN_RATE_PER_IP: 'off',
      // the benchmark's own users are never refused for the hashing bound; builds that hash
      // with scrypt (before Argon2id) read AUTH_SCRYPT_COST and make cheap hashes with it
      AUTH_SCRYPT_COST: '14',
      AUTH_HASH_QUEUE: '10000',
      AUTH_HASH_WAIT_MS: '60000',
      NODE_ENV: 'production',
    },
  });
  say('server up');
  try {
    const base = server.httpUrl;
    const wsUrl = base.replace('http', 'ws') + '/ws';
    const names = Array.from({ length: VICTIMS + 1 }, (_, i) => `flood_bench_${process.pid}_${i}`);
    for (const name of names) await register(base, name, PASSWORD);
    const users = [];
    for (const name of names) users.push(await login(base, name, PASSWORD));
    say('users ready');
    const [mallory, ...others] = users;
    const victims = await Promise.all(others.map((u) => openSocket(wsUrl, u.cookie)));
    const idle = [];
    const flooded = [];
    let lost = 0;
    let flooder = { sent: 0, closes: {} };
    const cpu = { idle: 0, flood: 0, idleMs: 0, floodMs: 0 };
    /** Runs `window` and adds the server's CPU seconds and the wall time it took to `cpu`. */
    const metered = async (kind, window) => {
      const [cpuBefore, wallBefore] = [cpuSeconds(server.pid), performance.now()];
      const result = await window();
      cpu[kind] += cpuSeconds(server.pid) - cpuBefore;
      cpu[`${kind}Ms`] += performance.now() - wallBefore;
      return result;
    };
    for (let round = 0; round < ROUNDS; round++) {
      const quiet = await metered('idle', () => measure(victims, `idle${round}`));
      idle.push(...quiet.latencies);
      say('idle measured');
      const stop = await startFlooder(wsUrl, mallory.cookie);
      say('flooding');
      const loud = await metered('flood', () => measure(victims, `flood${round}`));
      flooded.push(...loud.latencies);
      lost += quiet.lost + loud.lost;
      const counts = await stop();
      flooder.sent += counts.sent;
      for (const [code, n] of Object.entries(counts.closes)) flooder.closes[code] = (flooder.closes[code] ?? 0) + n;
    }
    for (const ws of victims) ws.terminate();
    const share = (seconds, ms) => `${Math.round((100 * seconds * 1000) / ms)} %`;
    return {
      idle,
      flooded,
      lost,
      flooder,
      cpu: { idle: share(cpu.idle, cpu.idleMs), flood: share(cpu.flood, cpu.floodMs) },
    };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

console.log(`# ${execSync('uptime').toString().trim()}`);
console.log(
  `# refused-frame flood: ${FLOOD_SOCKETS} sockets of one account vs ${VICTIMS} users sending every ${GAP_MS} ms`,
);
console.log(
  `# ${ROUNDS} rounds of ${WINDOW_MS} ms idle + ${WINDOW_MS} ms flood; command: BENCH_FLOOD_ROOTS=${ROOTS.join(',')}${NICE ? ' BENCH_FLOOD_NICE=1' : ''} node bench/refused-frame-flood.mjs`,
);
for (const root of ROOTS) {
  const { idle, flooded, lost, flooder, cpu } = await run(root);
  const f = (n) => n.toFixed(1);
  const ratio = quantile(flooded, 0.99) / quantile(idle, 0.99);
  console.log(
    `${root}: ack p50 idle ${f(quantile(idle, 0.5))} ms, flood ${f(quantile(flooded, 0.5))} ms; ` +
      `p99 idle ${f(quantile(idle, 0.99))} ms, flood ${f(quantile(flooded, 0.99))} ms; p99 ratio ${ratio.toFixed(2)}; ` +
      `server CPU idle ${cpu.idle}, flood ${cpu.flood} of a core; ` +
      `samples ${idle.length}/${flooded.length}, acks lost ${lost}; flooder sent ${flooder.sent}, closes ${JSON.stringify(flooder.closes)}`,
  );
}
console.log(`# ${execSync('uptime').toString().trim()}`);
