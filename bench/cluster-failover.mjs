// Measures, on a three-instance cluster (separate `node dist/main.js` processes on the local
// Redis and PostgreSQL, 127.0.0.1 only):
//  - presence cleanup: SIGKILL of an instance → `user_left` of its user on another instance;
//  - recovery: an instance's Redis connections killed (CLIENT KILL) for OUTAGE_MS → time after
//    the outage until /health is 200 again and a message from another instance reaches it.
// Usage: npm run build && node bench/cluster-failover.mjs [rounds]
// Env: CHAT_PRESENCE_TTL_MS (default 4000), OUTAGE_MS (default 2000), TEST_REDIS_URL, TEST_DATABASE_URL.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import pg from 'pg';
import { WebSocket } from 'ws';

const ROUNDS = Number(process.argv[2] ?? 3);
const TTL_MS = Number(process.env.CHAT_PRESENCE_TTL_MS ?? 4000);
const OUTAGE_MS = Number(process.env.OUTAGE_MS ?? 2000);
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const children = new Set();
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function health(port) {
  return fetch(`http://127.0.0.1:${port}/health`).then((r) => r.status, () => 0);
}

async function startCluster(ns) {
  const url = new URL(PG_URL);
  url.searchParams.set('schema', ns);
  const env = { ...process.env, DATABASE_URL: url.toString(), REDIS_URL, CHAT_REDIS_PREFIX: `${ns}:`, CHAT_PRESENCE_TTL_MS: String(TTL_MS) };
  const nodes = [];
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
    const proc = spawn(process.execPath, ['dist/main.js'], { env: { ...env, PORT: String(port) }, stdio: 'ignore' });
    children.add(proc);
    proc.once('exit', () => children.delete(proc));
    nodes.push({ port, proc });
  }
  for (const node of nodes) {
    const deadline = Date.now() + 20000;
    while ((await health(node.port)) !== 200) {
      if (Date.now() > deadline) throw new Error(`instance on ${node.port} did not start`);
      await sleep(100);
    }
  }
  return nodes;
}

async function user(port) {
  const nickname = `b${randomBytes(5).toString('hex')}`;
  const post = (path, body) =>
    fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await post('/api/auth/register', { nickname, password: 'bench password' });
  const login = await post('/api/auth/login', { login: nickname, password: 'bench password' });
  const { id } = await login.json();
  return { id, cookie: login.headers.get('set-cookie').split(';')[0] };
}

function socket(port, cookie) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers: { cookie } });
  const waiters = [];
  ws.on('message', (data) => {
    const frame = JSON.parse(data.toString());
    for (const w of [...waiters]) if (w.match(frame)) waiters.splice(waiters.indexOf(w), 1) && w.resolve(frame);
  });
  ws.on('error', () => undefined);
  const next = (match, timeoutMs = 30000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timeout')), timeoutMs);
      waiters.push({ match, resolve: (f) => (clearTimeout(timer), resolve(f)) });
    });
  const opened = next((f) => f.type === 'online_users');
  return opened.then(() => ({ ws, next, send: (f) => ws.send(JSON.stringify(f)) }));
}

async function cleanup(ns, nodes) {
  for (const { proc } of nodes) if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
  await Promise.all(nodes.map(({ proc }) => (proc.exitCode === null && proc.signalCode === null ? new Promise((r) => proc.once('exit', r)) : null)));
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${ns}" CASCADE`);
  await client.end();
  const redis = new Redis(REDIS_URL);
  const keys = await redis.keys(`${ns}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
}

async function round() {
  const ns = `fc_${process.pid}_${randomBytes(4).toString('hex')}`;
  const nodes = await startCluster(ns);
  const [a, b, c] = nodes;
  const sockets = [];
  try {
    const [watcher, victim, other] = [await user(a.port), await user(a.port), await user(b.port)];
    const wA = await socket(a.port, watcher.cookie);
    const wB = await socket(b.port, other.cookie);
    sockets.push(wA, wB);
    const joined = wA.next((f) => f.type === 'user_joined' && f.user_id === victim.id);
    sockets.push(await socket(c.port, victim.cookie));
    await joined;
    // 1. SIGKILL
    const left = wA.next((f) => f.type === 'user_left' && f.user_id === victim.id, TTL_MS * 3);
    const killedAt = Date.now();
    c.proc.kill('SIGKILL');
    await left;
    const cleanupMs = Date.now() - killedAt;
    // 2. Redis outage of instance A
    const admin = new Redis(REDIS_URL);
    const marker = `-${a.proc.pid}-`;
    const until = Date.now() + OUTAGE_MS;
    let saw503 = false;
    while (Date.now() < until) {
      const list = String(await admin.client('LIST')).split('\n');
      for (const line of list) {
        if (!line.includes(` name=${ns}:`) || !line.includes(marker)) continue;
        await admin.client('KILL', 'ID', /(?:^| )id=(\d+)/.exec(line)[1]).catch(() => undefined);
      }
      if (!saw503) saw503 = (await health(a.port)) === 503;
      await sleep(20);
    }
    const ended = Date.now();
    admin.disconnect();
    while ((await health(a.port)) !== 200) await sleep(10);
    const healthMs = Date.now() - ended;
    let deliveryMs = -1;
    for (let n = 0; deliveryMs < 0 && Date.now() - ended < 15000; n++) {
      const got = wA.next((f) => f.type === 'chat_message' && f.content === `probe-${n}`, 100).then(() => true, () => false);
      wB.send({ type: 'chat_message', content: `probe-${n}` });
      if (await got) deliveryMs = Date.now() - ended;
    }
    return { cleanupMs, healthMs, deliveryMs, saw503 };
  } finally {
    for (const s of sockets) s.ws.terminate();
    await cleanup(ns, nodes);
  }
}

const stats = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  return `min ${s[0]} ms, median ${s[Math.floor(s.length / 2)]} ms, max ${s[s.length - 1]} ms`;
};

const results = [];
for (let i = 0; i < ROUNDS; i++) {
  const r = await round();
  results.push(r);
  console.log(`round ${i + 1}: cleanup after SIGKILL ${r.cleanupMs} ms; after a ${OUTAGE_MS} ms Redis outage: /health 200 after ${r.healthMs} ms, cross-instance delivery after ${r.deliveryMs} ms (503 seen: ${r.saw503})`);
}
console.log(`presence cleanup after SIGKILL (CHAT_PRESENCE_TTL_MS=${TTL_MS}): ${stats(results.map((r) => r.cleanupMs))}`);
console.log(`recovery after a Redis outage: /health ${stats(results.map((r) => r.healthMs))}; delivery ${stats(results.map((r) => r.deliveryMs))}`);
