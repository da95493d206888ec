import { describe, expect, it } from 'vitest';
import { openSqlite } from '../../drivers/sqlite.js';
import { SqliteMessageStore } from './sqlite-message.store.js';

/** EXPLAIN QUERY PLAN rows as one string per step. */
function plan(db: ReturnType<typeof openSqlite>, sql: string, params: Record<string, unknown> | unknown[]): string[] {
  const statement = db.prepare(`EXPLAIN QUERY PLAN ${sql}`);
  const rows = (Array.isArray(params) ? statement.all(...params) : statement.all(params)) as Array<{ detail: string }>;
  return rows.map((row) => row.detail);
}

describe('SQLite message queries use indexes, never a table scan', () => {
  const db = openSqlite(':memory:');
  new SqliteMessageStore(db);

  it('a history page is one index range on the conversation', () => {
    const steps = plan(
      db,
      'SELECT * FROM chat_messages WHERE conv_lo = ? AND conv_hi = ? AND id < ? ORDER BY id DESC LIMIT ?',
      [0, 0, 100, 11],
    );
    expect(steps.join(' | ')).toMatch(
      /SEARCH chat_messages USING (COVERING )?INDEX chat_messages_conversation \(conv_lo=\? AND conv_hi=\? AND (id|rowid)<\?\)/,
    );
    expect(steps.join(' | ')).not.toMatch(/SCAN chat_messages|TEMP B-TREE/);
  });

  it('a resume reads three index ranges (public, sent, received)', () => {
    const steps = plan(
      db,
      `SELECT id FROM (
         SELECT * FROM (SELECT id FROM chat_messages WHERE conv_lo = 0 AND conv_hi = 0 AND id > @since ORDER BY id LIMIT @limit)
         UNION
         SELECT * FROM (SELECT id FROM chat_messages WHERE sender_id = @viewer AND recipient_id IS NOT NULL AND id > @since ORDER BY id LIMIT @limit)
         UNION
         SELECT * FROM (SELECT id FROM chat_messages WHERE recipient_id = @viewer AND id > @since ORDER BY id LIMIT @limit)
       ) ORDER BY id LIMIT @limit`,
      { since: 0, viewer: 1, limit: 501 },
    ).join(' | ');
    expect(steps).toContain('INDEX chat_messages_conversation');
    expect(steps).toContain('INDEX chat_messages_sent_private');
    expect(steps).toContain('INDEX chat_messages_received');
    expect(steps).not.toMatch(/SCAN chat_messages(?! USING)/);
  });

  it('the conversation list reads one primary-key range', () => {
    const steps = plan(db, 'SELECT partner_id, last_message_at FROM chat_conversations WHERE user_id = ?', [1]).join(
      ' | ',
    );
    expect(steps).toMatch(/SEARCH chat_conversations USING PRIMARY KEY \(user_id=\?\)/);
  });
});
