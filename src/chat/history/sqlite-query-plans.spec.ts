import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { migrateSqlite, openSqlite } from '../../drivers/sqlite.js';
import { openForumStores, type ForumStores } from '../../forum/forum-stores.js';
import { createChatPorts, type ChatPorts } from '../chat-ports.js';
import { resolveChatOptions } from '../resolve-chat-options.js';
import { chatSqliteMigrations } from './chat.sqlite-migrations.js';
import { SqliteMessageStore } from './sqlite-message.store.js';

/**
 * Every statement the real SQLite stores prepare, captured as they prepare it: the chat's
 * ports and the forum's stores are opened through their real factories on one database file
 * while the driver's `prepare` records each text, then their API is exercised (for statements
 * prepared on use). A statement another store adds is planned here without being listed.
 */
const prepared = new Set<string>();

/** Statements that may read a whole table, and why that is fine. Anything else must use an index. */
const MAY_SCAN: Array<{ pattern: RegExp; why: string }> = [
  // the forum's room list: a handful of rows an administrator defines, read whole by design
  { pattern: /FROM forum_rooms ORDER BY id/, why: 'the whole room list' },
  // the user list of the stand-in forum (the chat's directory), read whole by design
  { pattern: /^SELECT id, nickname FROM forum_users ORDER BY id$/, why: 'the whole user list' },
  // the rooms a user stands in: every public room counts, so each room of the forum is looked at
  { pattern: /FROM forum_rooms r\) WHERE public = 1 OR member OR moderator/, why: "a user's standings in every room" },
  // the moderators' list of active mutes: every row of chat_mutes that has not expired
  { pattern: /FROM chat_mutes WHERE until IS NULL OR until > \?/, why: 'every active mute' },
  // health checks
  { pattern: /^SELECT 1( AS ok)?$/, why: 'reads no table' },
];

/** Positional (`?`) and named (`@name`, `:name`, `$name`) parameters of `sql`, all bound to null. */
function nullParameters(sql: string): unknown[] {
  const code = sql.replace(/'(?:[^']|'')*'/g, "''");
  const positional = (code.match(/\?/g) ?? []).map(() => null);
  const names = [...code.matchAll(/[@:$]([A-Za-z_]\w*)/g)].map((match) => match[1]!);
  return names.length === 0 ? positional : [...positional, Object.fromEntries(names.map((name) => [name, null]))];
}

/** The EXPLAIN QUERY PLAN steps of `sql`, one string per step. */
function planOf(db: Database.Database, sql: string): string[] {
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...nullParameters(sql)) as Array<{ detail: string }>;
  return rows.map((row) => row.detail);
}

/**
 * Whether a plan step reads a whole table (or the whole of one of its indexes): `SCAN t`,
 * `SCAN t USING [COVERING] INDEX i`. Scans of a subquery's bounded result, of a constant row or a
 * multi-row VALUES clause, and of a table-valued function (`json_each` of a bound list) read no table.
 */
function isTableScan(step: string): boolean {
  return /^SCAN /.test(step) && !/^SCAN (\(subquery-\d+\)|CONSTANT ROW|\d+-ROW VALUES CLAUSE|json_each\b)/.test(step);
}

/** The one captured statement that matches `pattern`. */
function statement(pattern: RegExp): string {
  const found = [...prepared].filter((sql) => pattern.test(sql));
  expect(found, `one prepared statement matching ${pattern}`).toHaveLength(1);
  return found[0]!;
}

describe('SQLite statements the stores prepare use indexes, never a table scan', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fc-plans-'));
  const databaseUrl = `sqlite:${join(dir, 'chat.db')}`;
  let chat: ChatPorts;
  let forum: ForumStores;
  let db: Database.Database;

  beforeAll(async () => {
    const prepare = Database.prototype.prepare;
    vi.spyOn(Database.prototype, 'prepare').mockImplementation(function (this: Database.Database, sql: string) {
      prepared.add(sql.replace(/\s+/g, ' ').trim());
      return prepare.call(this, sql);
    });
    forum = await openForumStores(databaseUrl);
    chat = await createChatPorts(
      resolveChatOptions({ databaseUrl, userDirectory: { findById: async () => null, list: async () => [] } }),
    );
    await exercise(chat, forum);
    vi.restoreAllMocks();
    db = new Database(join(dir, 'chat.db'), { readonly: true });
  });

  afterAll(async () => {
    db?.close();
    await chat?.close();
    await forum?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('captures the statements of every store', () => {
    const tables = ['chat_messages', 'chat_conversations', 'chat_blocks', 'chat_mutes', 'chat_flags', 'chat_audit'];
    for (const table of [...tables, 'forum_users', 'forum_sessions', 'forum_rooms']) {
      expect(
        [...prepared].some((sql) => sql.includes(table)),
        table,
      ).toBe(true);
    }
  });

  it('no statement scans a table, but those allowed to', () => {
    const scans = [...prepared]
      .filter((sql) => !MAY_SCAN.some(({ pattern }) => pattern.test(sql)))
      .flatMap((sql) =>
        planOf(db, sql)
          .filter(isTableScan)
          .map((step) => `${step}  ←  ${sql}`),
      );
    expect(scans).toEqual([]);
  });

  it('every allowed scan is a statement a store still prepares', () => {
    const stale = MAY_SCAN.filter(({ pattern }) => ![...prepared].some((sql) => pattern.test(sql)));
    expect(stale.map(({ why }) => why)).toEqual([]);
  });

  it('a room history page is one index range on the room', () => {
    const steps = planOf(db, statement(/FROM chat_messages WHERE room = \? AND id < \?/)).join(' | ');
    expect(steps).toMatch(
      /SEARCH chat_messages USING (COVERING )?INDEX chat_messages_room \(room=\? AND (id|rowid)<\?\)/,
    );
    expect(steps).not.toMatch(/SCAN chat_messages|TEMP B-TREE/);
  });

  it('a resume reads one index range per room', () => {
    const steps = planOf(db, statement(/FROM chat_messages WHERE room = @room AND id > @since/)).join(' | ');
    expect(steps).toMatch(
      /SEARCH chat_messages USING (COVERING )?INDEX chat_messages_room \(room=\? AND (id|rowid)>\?\)/,
    );
    expect(steps).not.toMatch(/SCAN chat_messages|TEMP B-TREE/);
  });

  it('a private history page is one index range on the conversation', () => {
    const steps = planOf(db, statement(/FROM chat_messages WHERE conv_lo = \? AND conv_hi = \? AND id < \?/)).join(
      ' | ',
    );
    expect(steps).toMatch(
      /SEARCH chat_messages USING (COVERING )?INDEX chat_messages_conversation \(conv_lo=\? AND conv_hi=\? AND (id|rowid)<\?\)/,
    );
    expect(steps).not.toMatch(/SCAN chat_messages|TEMP B-TREE/);
  });

  it('a resume of private messages reads two index ranges (sent, received)', () => {
    const sent = planOf(db, statement(/WHERE sender_id = @viewer AND recipient_id IS NOT NULL AND id > @since/)).join(
      ' | ',
    );
    const received = planOf(db, statement(/WHERE recipient_id = @viewer AND id > @since/)).join(' | ');
    expect(sent).toMatch(
      /SEARCH chat_messages USING (COVERING )?INDEX chat_messages_sent_private \(sender_id=\? AND (id|rowid)>\?\)/,
    );
    expect(received).toMatch(
      /SEARCH chat_messages USING (COVERING )?INDEX chat_messages_received \(recipient_id=\? AND (id|rowid)>\?\)/,
    );
    expect(`${sent} | ${received}`).not.toMatch(/SCAN chat_messages|TEMP B-TREE/);
  });

  it('a conversations page is one range of the recent index, each unread count one range of the unread index', () => {
    const steps = planOf(
      db,
      statement(/FROM chat_conversations c WHERE c.user_id = @viewer AND c.last_message_id < @before/),
    ).join(' | ');
    expect(steps).toMatch(
      /SEARCH c USING (COVERING )?INDEX chat_conversations_recent \(user_id=\? AND last_message_id<\?\)/,
    );
    expect(steps).toMatch(
      /SEARCH m USING (COVERING )?INDEX chat_messages_unread_private \(recipient_id=\? AND sender_id=\? AND id>\?\)/,
    );
    expect(steps).not.toMatch(/SCAN (c|m|chat_conversations|chat_messages)\b|TEMP B-TREE/);
  });

  it('a room unread count is one range of the room index', () => {
    const steps = planOf(
      db,
      statement(/FROM chat_messages WHERE room = @room AND id > @read AND sender_id <> @user/),
    ).join(' | ');
    expect(steps).toMatch(/SEARCH chat_messages USING INDEX chat_messages_room \(room=\? AND (id|rowid)>\?\)/);
    expect(steps).not.toMatch(/SCAN chat_messages\b|TEMP B-TREE/);
  });

  it('a user search page is one range of the lower-cased nickname index', () => {
    const steps = planOf(db, statement(/FROM forum_users WHERE lower\(nickname\) >= @prefix/)).join(' | ');
    expect(steps).toMatch(
      /SEARCH forum_users USING (COVERING )?INDEX forum_users_nickname_lower \(<expr>>\? AND <expr><\?\)/,
    );
    expect(steps).not.toMatch(/SCAN forum_users|TEMP B-TREE/);
  });
});

/** Calls the stores' API once each way, so statements prepared on use are captured too. */
async function exercise(chat: ChatPorts, forum: ForumStores): Promise<void> {
  const now = Date.now();
  const user = await forum.users.create({ nickname: 'planner', email: null, passwordHash: 'x' });
  await forum.users.findByLogin('planner');
  await forum.users.findById(user.id);
  await forum.users.list();
  await forum.users.searchByNickname({ prefix: 'pl', after: '', limit: 22 });
  await forum.sessions.create({ key: 'k', userId: user.id, expiresAt: now + 60_000 });
  await forum.sessions.find('k', now);
  await forum.sessions.revokedSince(now);
  await forum.rooms.list();
  await forum.ping();
  const { message } = await chat.messages.append(
    { senderId: user.id, senderNickname: 'planner', recipientId: 2, content: 'hi', createdAt: now, clientId: 'c1' },
    async () => undefined,
  );
  await chat.messages.history({ viewerId: user.id, withUserId: null, limit: 10 });
  await chat.messages.history({ viewerId: user.id, withUserId: 2, limit: 10 });
  await chat.messages.since({ viewerId: user.id, sinceId: 0, limit: 10, rooms: ['lobby', 'news'] });
  await chat.messages.conversationPage({ viewerId: user.id, limit: 10 });
  await chat.messages.markConversationRead({ userId: user.id, partnerId: 2, messageId: message.id });
  await chat.messages.roomReadStates({ userId: user.id, rooms: ['lobby'] });
  await chat.messages.markRoomRead({ userId: user.id, room: 'lobby', messageId: message.id });
  await chat.messages.edit({ id: message.id, content: 'hello', editedAt: now });
  await chat.messages.remove({ id: message.id, deletedAt: now });
  await chat.messages.changedSince({ viewerId: user.id, untilId: message.id, changedFrom: 0, limit: 10 });
  await chat.messages.ping();
  await chat.moderation.blockedBy(user.id);
  await chat.moderation.mutes(now);
  await chat.moderation.auditLog({ limit: 10 });
}

describe('rooms on a SQLite chat database stored before them', () => {
  it('makes every public message stored before a lobby message, private ones stay roomless', async () => {
    const old = openSqlite(':memory:');
    migrateSqlite(
      old,
      'chat',
      chatSqliteMigrations.filter((migration) => migration.id < 3),
    );
    const insert = old.prepare(
      `INSERT INTO chat_messages (sender_id, sender_nickname, recipient_id, conv_lo, conv_hi, content, created_at)
       VALUES (?, 'n', ?, ?, ?, ?, 1)`,
    );
    insert.run(1, null, 0, 0, 'public');
    insert.run(1, 2, 1, 2, 'private');
    const store = new SqliteMessageStore(old);
    const lobby = await store.history({ viewerId: 3, withUserId: null, room: 'lobby', limit: 10 });
    expect(lobby.messages.map((m) => [m.content, m.room])).toEqual([['public', 'lobby']]);
    expect((await store.find(2))?.room).toBeNull();
    await store.close();
  });
});
