// 100 concurrent logins from 100 loopback addresses (127.0.1.1–127.0.1.100, each far under
// the per-address limit, each a fresh unknown login name so no per-login bucket fills) while
// a returning user logs in from a known device (presenting the device cookie of its previous
// login) every BENCH_LOGIN_GAP_MS, and a first-time user (no device cookie, its own address)
// logs in right after it. Prints both users' login latency p50/max and answers, and the
// flood's answers, the server's CPU time over the flood and its peak memory, for each server
// build given, side by side, with the load average.
//
//   npm run build && node bench/login-flood.mjs                      # this checkout's dist/
//   BENCH_LOGIN_ROOTS=/path/to/old,/work/wt/x node bench/login-flood.mjs   # several builds
//   BENCH_LOGIN_FLOOD_NICE=1 …   # the flooding process at the lowest CPU priority, as if on
//                                # machines of its own (the server keeps the cores)
//
// The flood runs in a child process, so the two measured users' answers never wait behind the
// flood's in this process's event loop.
// Each root must hold a built dist/main.js and its node_modules. Never part of `npm test`.
// The servers inherit this process's environment: `AUTH_ARGON2_TIME_COST=3 node bench/…`
// measures other hashing parameters (`BENCH_LOGIN_SCRYPT_COST` sets `AUTH_SCRYPT_COST`, read
// only by builds that hash new passwords with scrypt).
import { execSync, spawn } from 'node:child_process';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { register } from './lib/auth-client.mjs';
import { cpuSeconds, peakRssBytes } from './lib/proc-stat.mjs';
import { ServerProcess } from './lib/server-process.mjs';

const HERE = resolve(import.meta.dirname, '..');
const ROOTS = (process.env.BENCH_LOGIN_ROOTS ?? HERE).split(',').filter(Boolean);
const WINDOW_MS = Number(process.env.BENCH_LOGIN_WINDOW_MS ?? 20_000);
const FLOODERS = Number(process.env.BENCH_LOGIN_FLOODERS ?? 100);
const GAP_MS = Number(process.env.BENCH_LOGIN_GAP_MS ?? 1_000);
const FIRST_TIMERS = Math.ceil(WINDOW_MS / GAP_MS) + 2;
const NICE = process.env.BENCH_LOGIN_FLOOD_NICE === '1';
const PASSWORD = 'correct horse battery';

function quantile(samples, q) {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * q) - 1))] ?? NaN;
}

/**
 * POST /api/auth/login from `localAddress` with an optional `Cookie` header; resolves the
 * status, the milliseconds it took and the device cookie the answer set (if any).
 */
function loginFrom(base, localAddress, login, password, cookie) {
  const body = JSON.stringify({ login, password });
  const started = performance.now();
  return new Promise((done) => {
    const req = request(`${base}/api/auth/login`, {
      method: 'POST',
      localAddress,
      agent: false,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        ...(cookie ? { cookie } : {}),
      },
    });
    req.on('response', (res) => {
      res.resume();
      const device = (res.headers['set-cookie'] ?? []).map((c) => /^device=([^;]+)/.exec(c)?.[1]).find(Boolean);
      res.on('end', () => done({ status: res.statusCode, ms: performance.now() - started, device }));
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

/** `FLOODERS` addresses logging in with unknown names, each again as soon as answered, until `until` (epoch ms). */
async function flood(base, until) {
  const answers = [];
  const flooders = Array.from({ length: FLOODERS }, async (_, f) => {
    for (let i = 0; Date.now() < until; i++)
      answers.push(await loginFrom(base, `127.0.1.${f + 1}`, `nobody_${f}_${i}`, 'not the password'));
  });
  await Promise.all(flooders);
  return answers;
}

/** `flood` in a child process, at nice 19 under `BENCH_LOGIN_FLOOD_NICE=1`; resolves its answers. */
async function floodFrom(base, until) {
  const command = [...(NICE ? ['nice', '-n', '19'] : []), process.execPath, import.meta.filename];
  const child = spawn(command[0], [...command.slice(1), 'flood', base, String(until)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  // 'close', not 'exit': the child's last output may still be on its way when it exits
  await new Promise((done) => child.once('close', done));
  return JSON.parse(output);
}

if (process.argv[2] === 'flood') {
  const answers = JSON.stringify(await flood(process.argv[3], Number(process.argv[4])));
  // exit once the pipe took every byte: process.exit right after write cuts a large output short
  await new Promise((written) => process.stdout.write(answers, written));
  process.exit(0);
}

async function run(root) {
  const dataDir = mkdtempSync(join(tmpdir(), 'login-bench-'));
  const server = await ServerProcess.start({
    name: root,
    command: [process.execPath, join(root, 'dist/main.js')],
    cwd: root,
    // the benchmark registers its own users from one address: registrations are not limited here
    env: {
      DATABASE_URL: `sqlite:${join(dataDir, 'chat.db')}`,
      NODE_ENV: 'production',
      AUTH_REGISTER_RATE_PER_IP: 'off',
      // for builds that hash with scrypt: BENCH_LOGIN_SCRYPT_COST=15 makes their hashes cheaper (their default is 17)
      ...(process.env.BENCH_LOGIN_SCRYPT_COST ? { AUTH_SCRYPT_COST: process.env.BENCH_LOGIN_SCRYPT_COST } : {}),
    },
  });
  try {
    const base = server.httpUrl;
    const nickname = `login_bench_${process.pid}`;
    await register(base, nickname, PASSWORD);
    const newcomers = Array.from({ length: FIRST_TIMERS }, (_, i) => `login_bench_${process.pid}_new${i}`);
    for (const name of newcomers) await register(base, name, PASSWORD);
    const idle = [];
    let device;
    for (let i = 0; i < 3; i++) {
      const answer = await loginFrom(base, '127.0.0.1', nickname, PASSWORD, device && `device=${device}`);
      idle.push(answer);
      device = answer.device ?? device;
    }
    const cpuBefore = cpuSeconds(server.pid);
    const until = Date.now() + WINDOW_MS;
    const flooding = floodFrom(base, until);
    const known = [];
    const firstTime = [];
    await new Promise((r) => setTimeout(r, 500)); // the flood is under way
    for (let i = 0; Date.now() < until; i++) {
      const started = Date.now();
      // old builds set no device cookie: the login is then an anonymous one, as before
      const answer = await loginFrom(base, '127.0.0.1', nickname, PASSWORD, device && `device=${device}`);
      known.push(answer);
      device = answer.device ?? device;
      firstTime.push(await loginFrom(base, `127.0.2.${i + 1}`, newcomers[i], PASSWORD));
      await new Promise((r) => setTimeout(r, Math.max(0, GAP_MS - (Date.now() - started))));
    }
    const flooded = await flooding;
    const floodCpu = cpuSeconds(server.pid) - cpuBefore;
    return { idle, known, firstTime, flood: flooded, floodCpu, peakRss: peakRssBytes(server.pid) };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

console.log(
  `# login flood: ${FLOODERS} addresses logging in at once for ${WINDOW_MS / 1000} s vs a returning user ` +
    `(device cookie) and a first-time user, one login each every ${GAP_MS} ms`,
);
const cost = process.env.BENCH_LOGIN_SCRYPT_COST
  ? ` BENCH_LOGIN_SCRYPT_COST=${process.env.BENCH_LOGIN_SCRYPT_COST}`
  : '';
console.log(
  `# command: BENCH_LOGIN_ROOTS=${ROOTS.join(',')}${cost}${NICE ? ' BENCH_LOGIN_FLOOD_NICE=1' : ''} node bench/login-flood.mjs`,
);
console.log(`# ${execSync('uptime').toString().trim()}`);
console.log(
  '| build | idle login p50 | known device p50 | known device max | known device answers | first-time p50 | first-time max | first-time answers | flood answers | flood p50 | server CPU over the flood | server peak RSS |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const root of ROOTS) {
  const { idle, known, firstTime, flood: flooded, floodCpu, peakRss } = await run(root);
  const ms = (list, q) =>
    `${Math.round(
      quantile(
        list.map((a) => a.ms),
        q,
      ),
    )} ms`;
  console.log(
    `| ${root} | ${ms(idle, 0.5)} | ${ms(known, 0.5)} | ${ms(known, 1)} | ${tally(known)} | ` +
      `${ms(firstTime, 0.5)} | ${ms(firstTime, 1)} | ${tally(firstTime)} | ${tally(flooded)} | ${ms(flooded, 0.5)} | ` +
      `${floodCpu.toFixed(1)} s | ${Math.round(peakRss / 2 ** 20)} MiB |`,
  );
}
console.log(`# ${execSync('uptime').toString().trim()}`);
