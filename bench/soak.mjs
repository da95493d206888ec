#!/usr/bin/env node
// Soak: mixed load with abusive clients against the built server (`node dist/main.js`) on
// 127.0.0.1, sampling the server's RSS (/proc/<pid>/status VmRSS) and heap (a preload that
// only the soak uses, bench/heap-sampler.mjs) every 10 s. Not part of `npm test`.
//
//   npm run build && node bench/soak.mjs [--minutes 15] [--good 20]
//
// Prints one line per sample and a summary; writes the samples to bench/out/soak-<time>.json.
// Stops by itself after --minutes, then shuts the server down with SIGTERM.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []),
);
const MINUTES = Number(args.minutes ?? 15);
const GOOD = Number(args.good ?? 20);
const SAMPLE_MS = 10_000;

const stats = {
  acks: 0, delivered: 0, outOfOrder: 0, rateLimited: 0, errorFrames: 0, goodUnexpectedCloses: 0,
  handshakeStatus: {}, closes: {}, loginStatus: {}, reconnects: 0, goodSent: 0,
};
const count = (table, key) => (table[key] = (table[key] ?? 0) + 1);

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const wsUrl = `ws://127.0.0.1:${port}/ws`;
const dataDir = mkdtempSync(join(tmpdir(), 'forum-chat-soak-'));
const heapFile = join(dataDir, 'heap.jsonl');
const server = spawn(process.execPath, ['--import', join(root, 'bench/heap-sampler.mjs'), join(root, 'dist/main.js')], {
  env: {
    ...process.env,
    PORT: String(port),
    DATABASE_URL: `sqlite:${join(dataDir, 'chat.db')}`,
    SOAK_HEAP_FILE: heapFile,
    // every soak client comes from 127.0.0.1: the per-address limits would treat them as one user
    AUTH_REGISTER_RATE_PER_IP: 'off',
    AUTH_LOGIN_RATE_PER_IP: 'off',
    // the benchmark's own users are never refused for the hashing bound; builds that hash
    // with scrypt (before Argon2id) read AUTH_SCRYPT_COST and make cheap hashes with it
    AUTH_SCRYPT_COST: '14',
    AUTH_HASH_QUEUE: '10000',
    AUTH_HASH_WAIT_MS: '60000',
    CHAT_HANDSHAKE_RATE_PER_IP: '30/1s,burst=80',
  },
  stdio: ['ignore', 'ignore', 'pipe'],
});
let serverStderr = '';
server.stderr.on('data', (chunk) => (serverStderr += chunk));
const killServer = () => server.exitCode === null && server.kill('SIGKILL');
process.on('exit', killServer);

for (let i = 0; ; i++) {
  try {
    if ((await fetch(`${base}/health`)).ok) break;
  } catch {}
  if (i > 100) throw new Error(`server did not start: ${serverStderr}`);
  await sleep(100);
}

async function post(path, body) {
  const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  count(stats.loginStatus, `${path.split('/').pop()} ${response.status}`);
  return response;
}

async function user(prefix) {
  const nickname = `${prefix}_${randomBytes(4).toString('hex')}`;
  const password = 'soak password 1';
  await post('/api/auth/register', { nickname, password });
  const response = await post('/api/auth/login', { login: nickname, password });
  const body = await response.json();
  const cookie = /session_id=([^;]+)/.exec(response.headers.get('set-cookie') ?? '')?.[1];
  return { id: body.id, nickname, password, cookie: `session_id=${cookie}` };
}

let running = true;
const sockets = new Set();

function open(cookie, onFrame, headers = {}) {
  return new Promise((resolve) => {
    const ws = new WebSocket(wsUrl, { headers: { ...(cookie ? { cookie } : {}), ...headers } });
    sockets.add(ws);
    ws.on('unexpected-response', (_req, res) => {
      count(stats.handshakeStatus, res.statusCode);
      res.resume();
      ws.terminate();
      resolve(null);
    });
    ws.on('error', () => resolve(null));
    ws.on('open', () => {
      ws.opened = true;
      count(stats.handshakeStatus, 101);
      resolve(ws);
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const frame = JSON.parse(data.toString());
      if (frame.type === 'error') {
        stats.errorFrames++;
        if (frame.code === 'rate_limited') stats.rateLimited++;
      }
      onFrame?.(frame, ws);
    });
    ws.on('close', (code) => {
      sockets.delete(ws);
      if (ws.opened) count(stats.closes, code);
    });
  });
}

// --- well-behaved users: a message every 2 s, ordered delivery checked, history and typing now and then
async function goodUser(u, peers) {
  let lastPublicId = 0;
  let seq = 0;
  while (running) {
    const ws = await open(u.cookie, (frame) => {
      if (frame.type === 'ack') stats.acks++;
      if (frame.type === 'chat_message') {
        stats.delivered++;
        if (frame.id <= lastPublicId) stats.outOfOrder++;
        lastPublicId = frame.id;
      }
    });
    if (!ws) {
      await sleep(1000);
      continue;
    }
    const closed = new Promise((resolve) => ws.once('close', resolve));
    const loop = (async () => {
      while (running && ws.readyState === WebSocket.OPEN) {
        seq++;
        ws.send(JSON.stringify({ type: 'chat_message', content: `hello ${seq} from ${u.nickname}`, client_id: `${u.id}-${seq}` }));
        stats.goodSent++;
        if (seq % 5 === 0) {
          const peer = peers[seq % peers.length];
          if (peer.id !== u.id) {
            ws.send(JSON.stringify({ type: 'typing', to: peer.id, active: true }));
            ws.send(JSON.stringify({ type: 'private_message', to: peer.id, content: `psst ${seq}`, client_id: `${u.id}-p${seq}` }));
          }
        }
        if (seq % 15 === 0) ws.send(JSON.stringify({ type: 'history', limit: 50 }));
        await sleep(2000);
      }
    })();
    const code = await closed;
    await loop;
    if (running) {
      stats.goodUnexpectedCloses++;
      stats.reconnects++;
      console.error(`good user ${u.nickname} closed with ${code}`);
    }
  }
}

// --- flooder: bursts of messages far over the rate → rate_limited, then 1008; reconnects
async function flooder(u) {
  while (running) {
    const ws = await open(u.cookie);
    if (!ws) {
      await sleep(1000);
      continue;
    }
    while (running && ws.readyState === WebSocket.OPEN) {
      for (let i = 0; i < 50 && ws.readyState === WebSocket.OPEN; i++) ws.send(JSON.stringify({ type: 'chat_message', content: `flood ${i}` }));
      await sleep(1000);
    }
    stats.reconnects++;
    await sleep(1000);
  }
}

const GARBAGE = [
  () => randomBytes(1 + Math.floor(Math.random() * 200)).toString('latin1'),
  () => '{"type":"chat_message","content":' + '['.repeat(3000) + ']'.repeat(3000) + '}',
  () => JSON.stringify({ type: 'chat_message', content: 'x', __proto__: { polluted: true } }).replace('"content"', '"__proto__":{"polluted":1},"content"'),
  () => JSON.stringify({ type: 'chat_message', content: 'bell\u0007 nul\u0000' }),
  () => '{"type":"chat_message","content":"\\ud800 lone"}',
  () => JSON.stringify({ type: 'private_message', to: 1e308, content: 'big' }),
  () => JSON.stringify({ type: 'history', before: -1, limit: 1e9 }),
  () => JSON.stringify({ type: 'resume', since: 'yesterday' }),
  () => JSON.stringify({ type: 'constructor' }),
  () => JSON.stringify({ type: 'typing', to: 1, active: 'yes' }),
  () => JSON.stringify([1, 2, 3]),
  () => 'null',
  () => JSON.stringify({ type: 'chat_message', content: 'x'.repeat(2500) }),
  () => JSON.stringify({ type: 'conversations' }),
];

// --- garbage sender: malformed and hostile frames, 20 a second
async function garbageSender(u) {
  while (running) {
    const ws = await open(u.cookie);
    if (!ws) {
      await sleep(1000);
      continue;
    }
    while (running && ws.readyState === WebSocket.OPEN) {
      ws.send(GARBAGE[Math.floor(Math.random() * GARBAGE.length)]());
      await sleep(50);
    }
    stats.reconnects++;
    await sleep(500);
  }
}

// --- protocol breaker: one fatal frame (binary 1003, oversize 1009, invalid UTF-8 1007), then reconnect
async function protocolBreaker(u) {
  const fatal = [
    (ws) => ws.send(Buffer.from([1, 2, 3]), { binary: true }),
    (ws) => ws.send('x'.repeat(9000)),
    (ws) => ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false }),
  ];
  for (let i = 0; running; i++) {
    const ws = await open(u.cookie);
    if (ws) {
      fatal[i % fatal.length](ws);
      await new Promise((resolve) => ws.once('close', resolve));
    }
    await sleep(500);
  }
}

// --- slow consumer: stops reading so its queue fills from the room's traffic → 1013
async function slowConsumer(u) {
  while (running) {
    const ws = await open(u.cookie);
    if (!ws) {
      await sleep(1000);
      continue;
    }
    ws._socket.pause();
    await new Promise((resolve) => {
      ws.once('close', resolve);
      const stop = setInterval(() => !running && (clearInterval(stop), ws.terminate()), 500);
      ws.once('close', () => clearInterval(stop));
    });
    await sleep(2000);
  }
}

// --- handshake abuse: no cookie (401), foreign Origin (403), over the socket limit (429), address rate (429)
async function handshakeChurner(u) {
  const held = [];
  for (let i = 0; running; i++) {
    const kind = i % 3;
    if (kind === 0) await open(null);
    if (kind === 1) await open(u.cookie, null, { origin: 'https://evil.example' });
    if (kind === 2) {
      const ws = await open(u.cookie);
      if (ws) held.push(ws);
      if (held.length > 12) held.shift().close();
    }
    await sleep(40);
  }
  for (const ws of held) ws.terminate();
}

// --- password guessing against one login: 429 with Retry-After after the burst
async function bruteForcer(victim) {
  while (running) {
    await post('/api/auth/login', { login: victim.nickname, password: `guess ${Math.random()}` });
    await sleep(200);
  }
}

function rssOf(pid) {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : NaN;
}

function lastHeap() {
  if (!existsSync(heapFile)) return null;
  const lines = readFileSync(heapFile, 'utf8').trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

const mb = (bytes) => (bytes / 1048576).toFixed(1);

const goodUsers = [];
for (let i = 0; i < GOOD; i++) goodUsers.push(await user('good'));
const abusers = [];
for (let i = 0; i < 16; i++) abusers.push(await user('abuser'));
const victim = await user('victim');

const samples = [];
const start = Date.now();
const sample = () => {
  const heap = lastHeap();
  const s = { t: Math.round((Date.now() - start) / 1000), rss: rssOf(server.pid), heapUsed: heap?.heapUsed ?? null, openClientSockets: sockets.size };
  samples.push(s);
  console.log(
    `t=${String(s.t).padStart(4)}s rss=${mb(s.rss)}MB heap=${s.heapUsed === null ? '?' : mb(s.heapUsed)}MB sockets=${s.openClientSockets}` +
      ` acks=${stats.acks} delivered=${stats.delivered} rate_limited=${stats.rateLimited} closes=${JSON.stringify(stats.closes)}` +
      ` handshakes=${JSON.stringify(stats.handshakeStatus)}`,
  );
};
sample();
const sampler = setInterval(sample, SAMPLE_MS);

const workers = [
  ...goodUsers.map((u) => goodUser(u, goodUsers)),
  ...abusers.slice(0, 5).map(flooder),
  ...abusers.slice(5, 10).map(garbageSender),
  ...abusers.slice(10, 12).map(protocolBreaker),
  ...abusers.slice(12, 14).map(slowConsumer),
  handshakeChurner(abusers[14]),
  bruteForcer(victim),
];

await sleep(MINUTES * 60_000);
running = false;
clearInterval(sampler);
for (const ws of sockets) ws.close();
await Promise.race([Promise.allSettled(workers), sleep(10_000)]);
for (const ws of sockets) ws.terminate();
await sleep(2000);
sample();
const health = await fetch(`${base}/health`).then((r) => r.status, () => 'down');
server.kill('SIGTERM');
const exitCode = await new Promise((resolve) => server.once('exit', (code) => resolve(code)));

const heapSamples = readFileSync(heapFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
const first = samples[0];
const last = samples[samples.length - 1];
const summary = {
  minutes: MINUTES,
  goodUsers: GOOD,
  rssStartMB: Number(mb(first.rss)),
  rssEndMB: Number(mb(last.rss)),
  rssMaxMB: Number(mb(Math.max(...samples.map((s) => s.rss)))),
  heapStartMB: Number(mb(heapSamples[1]?.heapUsed ?? heapSamples[0].heapUsed)),
  heapEndMB: Number(mb(heapSamples[heapSamples.length - 1].heapUsed)),
  heapMaxMB: Number(mb(Math.max(...heapSamples.map((s) => s.heapUsed)))),
  healthAtEnd: health,
  serverExitCode: exitCode,
  serverErrorLines: serverStderr.split('\n').filter((line) => /ERROR|unhandled|Uncaught/i.test(line)).length,
  serverStderrHead: serverStderr.slice(0, 2000),
  ...stats,
};
console.log(JSON.stringify(summary, null, 2));
mkdirSync(join(root, 'bench/out'), { recursive: true });
const outFile = join(root, `bench/out/soak-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(outFile, JSON.stringify({ summary, samples, heapSamples }, null, 2));
console.log(`samples written to ${outFile}`);
rmSync(dataDir, { recursive: true, force: true });
process.exit(summary.outOfOrder === 0 && summary.goodUnexpectedCloses === 0 && health === 200 ? 0 : 1);
