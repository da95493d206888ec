// History and resume timing over a large SQLite message table.
//
//   npm run build && node bench/history-page.mjs [messages=1000000]
//
// Fills a fresh SQLite file with N messages (80 % public, 20 % private among 1,000 users),
// then times, through the real SqliteMessageStore, 2,000 random history pages of 10
// (public room and private conversations) and 500 resumes, and prints the query plans.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openSqlite } from '../dist/drivers/sqlite.js';
import { SqliteMessageStore } from '../dist/chat/history/sqlite-message.store.js';

const total = Number(process.argv[2] ?? 1_000_000);
const USERS = 1000;
const dir = mkdtempSync(join(tmpdir(), 'forum-chat-history-bench-'));
const db = openSqlite(join(dir, 'bench.db'));
const store = new SqliteMessageStore(db);

// deterministic pseudo-random numbers
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const pick = (n) => 1 + Math.floor(random() * n);

console.log(`filling ${total.toLocaleString('en')} messages…`);
let started = performance.now();
const insert = db.prepare(
  `INSERT INTO chat_messages (sender_id, sender_nickname, recipient_id, room, conv_lo, conv_hi, content, created_at, client_id)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
);
const touch = db.prepare(
  `INSERT INTO chat_conversations (user_id, partner_id, last_message_at) VALUES (?, ?, ?)
   ON CONFLICT (user_id, partner_id) DO UPDATE SET last_message_at = excluded.last_message_at`,
);
const fill = db.transaction((from, to) => {
  for (let i = from; i < to; i++) {
    const sender = pick(USERS);
    const now = 1_700_000_000_000 + i;
    if (random() < 0.8) {
      insert.run(sender, `user${sender}`, null, 'lobby', 0, 0, `public message ${i}`, now);
    } else {
      let recipient = pick(USERS);
      if (recipient === sender) recipient = (recipient % USERS) + 1;
      const [lo, hi] = sender < recipient ? [sender, recipient] : [recipient, sender];
      insert.run(sender, `user${sender}`, recipient, null, lo, hi, `private message ${i}`, now);
      touch.run(sender, recipient, now);
      touch.run(recipient, sender, now);
    }
  }
});
for (let from = 0; from < total; from += 50_000) fill(from, Math.min(total, from + 50_000));
db.exec('ANALYZE');
console.log(`filled in ${((performance.now() - started) / 1000).toFixed(1)} s`);

const maxId = db.prepare('SELECT max(id) AS id FROM chat_messages').get().id;
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
async function time(label, runs, fn) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn(i);
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  const line = `| ${label} | ${runs} | ${mean.toFixed(3)} | ${percentile(samples, 50).toFixed(3)} | ${percentile(samples, 99).toFixed(3)} |`;
  console.log(line);
  return line;
}

console.log('\n| query | runs | mean ms | p50 ms | p99 ms |\n|---|---|---|---|---|');
await time('public history page (10, newest)', 2000, () => store.history({ viewerId: pick(USERS), withUserId: null, limit: 10 }));
await time('public history page (10, before a random id)', 2000, () =>
  store.history({ viewerId: pick(USERS), withUserId: null, beforeId: pick(maxId), limit: 10 }),
);
await time('private history page (10, random pair)', 2000, () => {
  const a = pick(USERS);
  return store.history({ viewerId: a, withUserId: (a % USERS) + 1, limit: 10 });
});
await time('resume (500, from 1,000 messages back)', 500, () => store.since({ viewerId: pick(USERS), sinceId: maxId - 1000, limit: 500 }));
await time('resume (500, from a random id)', 500, () => store.since({ viewerId: pick(USERS), sinceId: pick(maxId), limit: 500 }));
await time('conversations page (50, one user)', 2000, () => store.conversationPage({ viewerId: pick(USERS), limit: 50 }));

console.log('\nquery plans:');
for (const [label, sql, params] of [
  ['room history', 'SELECT * FROM chat_messages WHERE room = ? AND id < ? ORDER BY id DESC LIMIT ?', ['lobby', maxId, 11]],
  ['private history', 'SELECT * FROM chat_messages WHERE conv_lo = ? AND conv_hi = ? AND id < ? ORDER BY id DESC LIMIT ?', [1, 2, maxId, 11]],
]) {
  const steps = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params).map((row) => row.detail);
  console.log(`  ${label}: ${steps.join(' | ')}`);
}

await store.close();
rmSync(dir, { recursive: true, force: true });
