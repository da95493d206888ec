// Room fan-out against lobby fan-out, with 5,000 sockets open.
//
//   npm run build && node bench/room-fanout.mjs [sockets=5000] [followers=100]
//
// Starts the real server in this process (SQLite in a temporary folder, rate limits off),
// mints 1,000 users and their sessions straight in the forum's stores (no password hashing),
// opens `sockets` sockets over real WebSockets (presence_changes, so connecting costs no
// per-user presence frames), lets `followers` of them (distinct users) `join` one public room,
// then measures the two ways a message leaves the server:
// 1. fan-out alone: `ConnectionRegistry.deliver` of one room envelope and of one lobby
//    (`everyone`) envelope, timed synchronously (framing once + queueing on each socket), the
//    queued frames drained to the clients between rounds;
// 2. the whole path: a sender socket sends `chat_message`s (8 in flight) to the room, then to
//    lobby; wall time until every copy reached every client, and this process's CPU time per
//    message and per delivery (server and clients share the process, so the clients' receive
//    work is counted too: it also grows with the deliveries).
// Prints the figures and the ratios side by side. Not a test: nothing asserts a time.
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { createApp } from '../dist/create-app.js';
import { loadConfig } from '../dist/config/app-config.js';
import { ConnectionRegistry } from '../dist/chat/transport/connection.registry.js';
import { UserStore } from '../dist/forum/users/user.store.js';
import { SessionStore } from '../dist/forum/sessions/session.store.js';
import { newSessionToken, sessionKeyOf } from '../dist/forum/sessions/session-token.js';

const SOCKETS = Number(process.argv[2] ?? 5_000);
const FOLLOWERS = Number(process.argv[3] ?? 100);
const USERS = 1_000;
const ROOM = 'bench-room';
const ADMIN_TOKEN = 'bench-admin-token-'.repeat(2);

const dir = mkdtempSync(join(tmpdir(), 'forum-chat-room-bench-'));
const config = loadConfig({
  DATABASE_URL: `sqlite:${join(dir, 'chat.db')}`,
  ADMIN_TOKEN,
  CHAT_RATE_LIMIT: 'off',
  CHAT_HANDSHAKE_RATE_PER_IP: 'off',
  CHAT_MAX_SOCKETS_PER_USER: '100',
  CHAT_SEND_QUEUE_LIMIT: '100000',
});
const app = await createApp(config, { logger: false });
await app.listen(0, '127.0.0.1');
const port = app.getHttpServer().address().port;
const registry = app.get(ConnectionRegistry);

// users and sessions, minted in the forum's own stores
const users = app.get(UserStore);
const sessions = app.get(SessionStore);
const cookies = [];
for (let i = 0; i < USERS; i++) {
  const user = await users.create({ nickname: `rb${String(i).padStart(5, '0')}`, email: null, passwordHash: 'x' });
  const token = newSessionToken();
  await sessions.create({ key: sessionKeyOf(token), userId: user.id, expiresAt: Date.now() + 3_600_000 });
  cookies.push(`session_id=${token}`);
}
const put = await fetch(`http://127.0.0.1:${port}/api/admin/rooms/${ROOM}`, {
  method: 'PUT',
  headers: { 'content-type': 'application/json', 'x-admin-token': ADMIN_TOKEN },
  body: JSON.stringify({ title: 'Bench' }),
});
if (!put.ok) throw new Error(`room not created: ${put.status}`);

/** Every client counts the message frames it receives (a cheap prefix test, no parse). */
let received = 0;
const clients = [];
function open(i) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?caps=presence_changes`, {
      headers: { cookie: cookies[i % USERS] },
      perMessageDeflate: false,
    });
    ws.on('message', (data) => {
      if (data[9] === 0x63 /* {"type":"c… */) received++;
    });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}
let started = performance.now();
for (let i = 0; i < SOCKETS; i += 250) {
  const batch = await Promise.all(Array.from({ length: Math.min(250, SOCKETS - i) }, (_, k) => open(i + k)));
  clients.push(...batch);
}
console.log(`${SOCKETS} sockets open in ${((performance.now() - started) / 1000).toFixed(1)} s (server holds ${registry.size})`);

/** Sends one frame on a socket and resolves its first reply of `type`. */
function request(ws, frame, type) {
  return new Promise((resolve) => {
    const onMessage = (data) => {
      const reply = JSON.parse(data.toString());
      if (reply.type !== type) return;
      ws.off('message', onMessage);
      resolve(reply);
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify(frame));
  });
}
for (let i = 0; i < FOLLOWERS; i++) await request(clients[i], { type: 'join', room: ROOM }, 'joined');
console.log(`${FOLLOWERS} sockets (distinct users) follow ${ROOM}\n`);

/** Resolves once `received` reached `target` (the queued frames were written and read). */
async function drained(target) {
  while (received < target) await new Promise((resolve) => setTimeout(resolve, 2));
}

// 1. fan-out alone
const frameOf = (room) =>
  JSON.stringify({
    type: 'chat_message',
    ...(room ? { room } : {}),
    id: 1,
    content: 'x'.repeat(120),
    user_id: 1,
    nickname: 'rb00000',
    timestamp: new Date().toISOString(),
  });
async function timeDeliver(envelope, recipients, rounds, perRound) {
  let total = 0;
  for (let r = 0; r < rounds; r++) {
    const target = received + recipients * perRound;
    const t0 = performance.now();
    for (let k = 0; k < perRound; k++) registry.deliver(envelope);
    total += performance.now() - t0;
    await drained(target);
  }
  return (total * 1000) / (rounds * perRound); // µs per envelope
}
await timeDeliver({ kind: 'everyone', frame: frameOf(null) }, SOCKETS, 3, 2); // warm-up
await timeDeliver({ kind: 'room', room: ROOM, frame: frameOf(ROOM) }, FOLLOWERS, 3, 20);
const lobbyDeliverUs = await timeDeliver({ kind: 'everyone', frame: frameOf(null) }, SOCKETS, 20, 2);
const roomDeliverUs = await timeDeliver({ kind: 'room', room: ROOM, frame: frameOf(ROOM) }, FOLLOWERS, 40, 25);

// 2. the whole path, through a sender socket
const sender = clients[FOLLOWERS]; // follows nothing: its own copies come only from lobby
async function sendMessages(room, count, recipients) {
  const acks = [];
  const target = received + count * recipients;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let next = 0;
  await new Promise((resolve) => {
    const onMessage = (data) => {
      if (!data.toString().startsWith('{"type":"ack"')) return;
      acks.push(1);
      if (next < count) send();
      if (acks.length === count) {
        sender.off('message', onMessage);
        resolve();
      }
    };
    const send = () =>
      sender.send(JSON.stringify({ type: 'chat_message', ...(room ? { room } : {}), content: `m${next++}` }));
    sender.on('message', onMessage);
    for (let k = 0; k < 8 && next < count; k++) send();
  });
  await drained(target);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuUs = cpu.user + cpu.system;
  return { seconds, cpuPerMessageUs: cpuUs / count, cpuPerDeliveryUs: cpuUs / (count * recipients), deliveriesPerSecond: (count * recipients) / seconds, messagesPerSecond: count / seconds };
}
await sendMessages(ROOM, 100, FOLLOWERS); // warm-up
const room = await sendMessages(ROOM, 2_000, FOLLOWERS);
const lobby = await sendMessages(null, 60, SOCKETS);

const us = (n) => `${n.toFixed(1)} µs`;
console.log('1. fan-out alone (ConnectionRegistry.deliver: frame once, queue on each recipient)');
console.log(`   lobby message to ${SOCKETS} sockets: ${us(lobbyDeliverUs)} per message, ${us(lobbyDeliverUs / SOCKETS)} per delivery`);
console.log(`   room message to ${FOLLOWERS} followers (of ${SOCKETS} open): ${us(roomDeliverUs)} per message, ${us(roomDeliverUs / FOLLOWERS)} per delivery`);
console.log(`   room message / ${FOLLOWERS} lobby deliveries: ${(roomDeliverUs / ((lobbyDeliverUs / SOCKETS) * FOLLOWERS)).toFixed(2)}×`);
console.log('\n2. whole path (sender socket → store → bus → sockets → clients; process CPU, clients included)');
for (const [label, r, n] of [
  [`room (${FOLLOWERS} followers)`, room, FOLLOWERS],
  [`lobby (${SOCKETS} sockets)`, lobby, SOCKETS],
]) {
  console.log(
    `   ${label}: ${r.messagesPerSecond.toFixed(0)} msg/s, ${r.deliveriesPerSecond.toFixed(0)} deliveries/s, ` +
      `CPU ${us(r.cpuPerMessageUs)} per message, ${us(r.cpuPerDeliveryUs)} per delivery (${n} per message)`,
  );
}
console.log(
  `   room message / ${FOLLOWERS} lobby deliveries: ${(room.cpuPerMessageUs / (lobby.cpuPerDeliveryUs * FOLLOWERS)).toFixed(2)}× ` +
    `(the rest is the message's own cost: parse, store, ack)`,
);

for (const ws of clients) ws.terminate();
await app.close();
rmSync(dir, { recursive: true, force: true });
