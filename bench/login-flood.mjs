// 100 concurrent logins from 100 loopback addresses (127.0.1.1–127.0.1.100, each far under
// the per-address limit, each a fresh unknown login name so no per-login bucket fills) while
// one real user logs in with the right password, one login after another. Prints the real
// user's login latency p50/max and answers, and the flood's answers, for each server build
// given, side by side.
//
//   npm run build && node bench/login-flood.mjs                      # this checkout's dist/
//   BENCH_LOGIN_ROOTS=/path/to/old,/work/wt/x node bench/login-flood.mjs   # several builds
//
// Each root must hold a built dist/main.js and its node_modules. Never part of `npm test`.
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { register } from './lib/auth-client.mjs';
import { ServerProcess } from './lib/server-process.mjs';

const HERE = resolve(import.meta.dirname, '..');
const ROOTS = (process.env.BENCH_LOGIN_ROOTS ?? HERE).split(',').filter(Boolean);
const WINDOW_MS = Number(process.env.BENCH_LOGIN_WINDOW_MS ?? 20_000);
const FLOODERS = Number(process.env.BENCH_LOGIN_FLOODERS ?? 100);
const PASSWORD = 'correct horse battery';

function quantile(samples, q) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * q) - 1))] ?? NaN;
}

/** POST /api/auth/login from `localAddress`; resolves the status and the milliseconds it took. */
function loginFrom(base, localAddress, login, password) {
  const body = JSON.stringify({ login, password });
  const started = performance.now();
  return new Promise((done) => {
    const req = request(`${base}/api/auth/login`, {
      method: 'POST',
      localAddress,
      agent: false,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => done({ status: res.statusCode, ms: performance.now() - started }));
    });
    req.on('error', () => done({ status: 'error', ms: performance.now() - started }));
    req.end(body);
  });
}

function tally(answers) {
  const counts = new Map();
  for (const { status } of answers) counts.set(status, (counts.get(status) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${status}×${n}`).join(' ');
}

async function run(root) {
  const dataDir = mkdtempSync(join(tmpdir(), 'login-bench-'));
  const server = await ServerProcess.start({
    name: root,
    command: [process.execPath, join(root, 'dist/main.js')],
    cwd: root,
    env: { DATABASE_URL: `sqlite:${join(dataDir, 'chat.db')}`, NODE_ENV: 'production' },
  });
  try {
    const base = server.httpUrl;
    const nickname = `login_bench_${process.pid}`;
    await register(base, nickname, PASSWORD);
    const idle = [];
    for (let i = 0; i < 3; i++) idle.push(await loginFrom(base, '127.0.0.1', nickname, PASSWORD));
    const until = Date.now() + WINDOW_MS;
    const flood = [];
    const flooders = Array.from({ length: FLOODERS }, async (_, f) => {
      for (let i = 0; Date.now() < until; i++)
        flood.push(await loginFrom(base, `127.0.1.${f + 1}`, `nobody_${f}_${i}`, 'not the password'));
    });
    const real = [];
    await new Promise((r) => setTimeout(r, 500)); // the flood is under way
    while (Date.now() < until) real.push(await loginFrom(base, '127.0.0.1', nickname, PASSWORD));
    await Promise.all(flooders);
    return { idle, real, flood };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

console.log(`# login flood: ${FLOODERS} addresses logging in at once for ${WINDOW_MS / 1000} s vs one real user`);
console.log('| build | idle login p50 | real login p50 | real login max | real answers | flood answers | flood p50 |');
console.log('|---|---|---|---|---|---|---|');
for (const root of ROOTS) {
  const { idle, real, flood } = await run(root);
  const ms = (list, q) => `${Math.round(quantile(list.map((a) => a.ms), q))} ms`;
  console.log(
    `| ${root} | ${ms(idle, 0.5)} | ${ms(real, 0.5)} | ${ms(real, 1)} | ${tally(real)} | ${tally(flood)} | ${ms(flood, 0.5)} |`,
  );
}
