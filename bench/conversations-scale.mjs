// Conversation list and user search at forum scale, on SQLite.
//
//   npm run build && node bench/conversations-scale.mjs [users=100000] [messages=1000000]
//
// Seeds a fresh SQLite file with N registered users and M stored messages (80 % in the lobby,
// 20 % private; 100 busy users write half of the private ones, so each of them has about a
// thousand conversations) in one transaction of bulk INSERT … SELECT statements, then
// times the work of the two handlers through the real stores:
// - `conversations`: one page (50) of `SqliteMessageStore.conversationPage` (with the bounded
//   unread counts), the batched user lookup of the page (`findByIds`) and the presence
//   lookup (`InMemoryPresenceStore.onlineAmong`), for the busiest users, for random users,
//   and a second page (`before`);
// - `search_users`: one page (22 rows asked, 20 shown) of `searchByNickname` for 1-, 2- and
//   3-letter prefixes, first page and after a cursor.
// Prints mean / p50 / p90 / p99 in ms and the query plans. Not a test: nothing asserts a time.
import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { migrateSqlite, openSqlite } from '../dist/drivers/sqlite.js';
import { SqliteMessageStore } from '../dist/chat/history/sqlite-message.store.js';
import { SQLITE_CONVERSATION_PAGE } from '../dist/chat/reads/sqlite-conversation.index.js';
import { InMemoryPresenceStore } from '../dist/chat/presence/in-memory-presence.store.js';
import { forumSqliteMigrations } from '../dist/forum/sqlite/forum.sqlite-migrations.js';
import { SEARCH_BY_NICKNAME, SqliteUserStore } from '../dist/forum/sqlite/sqlite-user.store.js';
import { ForumUserDirectory } from '../dist/forum/forum-user.directory.js';

const USERS = Number(process.argv[2] ?? 100_000);
const MESSAGES = Number(process.argv[3] ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'forum-chat-conversations-bench-'));
const db = openSqlite(join(dir, 'bench.db'));
migrateSqlite(db, 'forum', forumSqliteMigrations);
const messages = new SqliteMessageStore(db);
const directory = new ForumUserDirectory(new SqliteUserStore(db));
const presence = new InMemoryPresenceStore();

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
console.log(`seeding ${USERS.toLocaleString('en')} users and ${MESSAGES.toLocaleString('en')} messages…`);
let started = performance.now();
db.transaction(() => {
  // nicknames like "kqa004711": three letters spread over the alphabet, then the id
  db.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @users)
     INSERT INTO forum_users (id, nickname, nickname_key, email, password_hash, created_at)
     SELECT i, name, name, NULL, 'x', 0 FROM (
       SELECT i, substr(@l, (i * 7) % 26 + 1, 1) || substr(@l, (i * 11) % 26 + 1, 1) || substr(@l, (i / 26) % 26 + 1, 1)
         || printf('%06d', i) AS name FROM n)`,
  ).run({ users: USERS, l: LETTERS });
  // message i: private when i % 5 = 0 (half of those from one of 100 busy users), else in the lobby
  db.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @messages),
     a AS (SELECT i, CASE WHEN i % 10 = 0 THEN abs(random()) % 100 + 1 ELSE abs(random()) % @users + 1 END AS s,
                  CASE WHEN i % 5 = 0 THEN abs(random()) % @users + 1 END AS r0 FROM n),
     m AS (SELECT i, s, CASE WHEN r0 = s THEN r0 % @users + 1 ELSE r0 END AS r FROM a)
     INSERT INTO chat_messages (id, sender_id, sender_nickname, recipient_id, room, conv_lo, conv_hi, content, created_at)
     SELECT i, s, 'user' || s, r, CASE WHEN r IS NULL THEN 'lobby' END,
            coalesce(min(s, r), 0), coalesce(max(s, r), 0), 'message ' || i, 1700000000000 + i FROM m`,
  ).run({ messages: MESSAGES, users: USERS });
  // the worst case for unread counts: the last user has 60 conversations of 150 unread messages each
  db.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 9000)
     INSERT INTO chat_messages (id, sender_id, sender_nickname, recipient_id, room, conv_lo, conv_hi, content, created_at)
     SELECT @messages + i, i % 60 + 1, 'user', @users, NULL, i % 60 + 1, @users, 'unread ' || i, 1800000000000 + i FROM n`,
  ).run({ messages: MESSAGES, users: USERS });
  // each side of each private conversation; read up to the middle of the conversation, so there are unread messages
  db.prepare(
    `INSERT INTO chat_conversations (user_id, partner_id, last_message_at, last_message_id, read_id)
     SELECT u, p, max(created_at), max(id), CASE WHEN u = @users THEN 0 ELSE min(id) END FROM (
       SELECT sender_id AS u, recipient_id AS p, created_at, id FROM chat_messages WHERE recipient_id IS NOT NULL
       UNION ALL
       SELECT recipient_id, sender_id, created_at, id FROM chat_messages WHERE recipient_id IS NOT NULL)
     GROUP BY u, p`,
  ).run({ users: USERS });
})();
db.exec('ANALYZE');
console.log(`seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
const counts = db
  .prepare(
    `SELECT (SELECT count(*) FROM forum_users) AS users, (SELECT count(*) FROM chat_messages) AS messages,
            (SELECT count(*) FROM chat_conversations) AS rows`,
  )
  .get();
const busiest = db
  .prepare('SELECT user_id, count(*) AS n FROM chat_conversations GROUP BY user_id ORDER BY n DESC LIMIT 20')
  .all();
console.log(
  `${counts.users} users, ${counts.messages} messages, ${counts.rows} conversation rows; ` +
    `busiest user has ${busiest[0].n} conversations, the 20th ${busiest.at(-1).n}`,
);
for (let id = 1; id <= USERS; id += 3) await presence.add({ id, nickname: `n${id}` }); // a third online

let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = (n) => 1 + Math.floor(random() * n);
const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
async function time(label, runs, fn) {
  for (let i = 0; i < 50; i++) await fn(i); // warm-up
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn(i);
    samples.push(performance.now() - t);
  }
  samples.sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  console.log(
    `| ${label} | ${runs} | ${mean.toFixed(3)} | ${[50, 90, 99].map((p) => percentile(samples, p).toFixed(3)).join(' | ')} |`,
  );
}

/** What the `conversations` handler does for one page. */
async function conversations(viewerId, beforeId) {
  const page = await messages.conversationPage({ viewerId, beforeId, limit: 50 });
  const ids = page.conversations.map((c) => c.partnerId);
  await Promise.all([directory.findByIds(ids), presence.onlineAmong(ids)]);
  return page;
}
/** What the `search_users` handler does for one page. */
const search = (prefix, after = '') => directory.searchByNickname({ prefix, after, limit: 22 });

const worst = await conversations(USERS);
console.log(
  `user ${USERS}: ${worst.conversations.length} entries on the first page, unread ${[...new Set(worst.conversations.map((c) => c.unread))].join('/')}`,
);
console.log('\n| request | runs | mean ms | p50 ms | p90 ms | p99 ms |\n|---|---|---|---|---|---|');
await time('conversations, first page (50), the 20 busiest users', 1000, (i) =>
  conversations(busiest[i % busiest.length].user_id),
);
await time('conversations, first page (50), random users', 1000, () => conversations(pick(USERS)));
await time('conversations, first page (50), every entry 99+ unread', 1000, () => conversations(USERS));
const second = new Map();
for (const { user_id } of busiest) {
  const first = await conversations(user_id);
  second.set(user_id, first.conversations.at(-1).lastMessageId);
}
await time('conversations, second page (before), the 20 busiest users', 1000, (i) => {
  const user = busiest[i % busiest.length].user_id;
  return conversations(user, second.get(user));
});
await time('search_users, 1-letter prefix', 1000, () => search(LETTERS[pick(26) - 1]));
await time('search_users, 2-letter prefix', 1000, () => search(LETTERS[pick(26) - 1] + LETTERS[pick(26) - 1]));
await time('search_users, 3-letter prefix', 1000, () =>
  search(LETTERS[pick(26) - 1] + LETTERS[pick(26) - 1] + LETTERS[pick(26) - 1]),
);
const after = (await search('m')).at(-1).nickname;
await time('search_users, 1-letter prefix, second page (after)', 1000, () => search('m', after));

console.log('\nquery plans:');
for (const [label, sql, params] of [
  ['conversations page', SQLITE_CONVERSATION_PAGE, { viewer: busiest[0].user_id, before: 2 ** 53 - 1, limit: 51 }],
  ['user search page', SEARCH_BY_NICKNAME, { prefix: 'ab', after: '', limit: 22 }],
]) {
  const steps = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params).map((row) => row.detail);
  console.log(`  ${label}: ${steps.join(' | ')}`);
}

await messages.close();
rmSync(dir, { recursive: true, force: true });
