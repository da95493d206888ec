import type { PoolClient } from 'pg';
import { migratePostgres, openPostgres, pingPostgres, PostgresPool } from '../../drivers/postgres.js';
import { chatPostgresMigrations } from './chat.postgres-migrations.js';
import { KeyedSerializer } from '../ordering/keyed-serializer.js';
import { conversationOf, orderingKeyOf } from './conversation-key.js';
import {
  ChangesQuery,
  EditedMessage,
  HistoryQuery,
  MessageEdit,
  MessagePage,
  MessageStore,
  NewMessage,
  OnStored,
  roomOf,
  roomsOf,
  SinceQuery,
  StoredMessage,
} from './message.store.js';
import { MESSAGE_COLUMNS, MessageRow, toMessage } from './message-rows.js';
import { WithReadIndexes } from '../reads/read-indexes.js';
import { PostgresRoomReadIndex } from '../reads/postgres-room-read.index.js';
import { PostgresConversationIndex } from '../reads/postgres-conversation.index.js';
import { readStatePostgresMigrations } from '../reads/read-state.postgres-migrations.js';
import { mentionsColumn } from '../mentions/stored-mentions.js';

/** The new content, and the mentions `$4` added to the message's (ascending, once each) and to `chat_mentions`. */
const EDIT = `
  WITH e AS (
    UPDATE chat_messages SET content = $2, edited_at = $3, changed_at = $3,
      mentions = COALESCE((
        SELECT json_agg(u ORDER BY u)::text FROM (
          SELECT value::bigint AS u FROM json_array_elements_text(COALESCE(chat_messages.mentions, '[]')::json)
          UNION SELECT unnest($4::bigint[])
        ) AS merged), chat_messages.mentions)
    WHERE id = $1 AND deleted_at IS NULL RETURNING ${MESSAGE_COLUMNS}
  ), k AS (
    INSERT INTO chat_mentions (user_id, message_id, room, sender_id)
    SELECT u, e.id, e.room, e.sender_id FROM e CROSS JOIN unnest($4::bigint[]) AS u
    ON CONFLICT DO NOTHING RETURNING user_id
  )
  SELECT e.*, (SELECT array_agg(user_id ORDER BY user_id) FROM k) AS added FROM e`;

const ERASE = `UPDATE chat_messages SET content = '', deleted_at = $2, changed_at = $2
  WHERE id = $1 AND deleted_at IS NULL RETURNING ${MESSAGE_COLUMNS}`;

const CHANGES = `
  SELECT ${MESSAGE_COLUMNS} FROM (
    SELECT ${MESSAGE_COLUMNS}, changed_at FROM chat_messages
    WHERE changed_at >= $1 AND id <= $2
      AND (room = ANY($5::text[]) OR (recipient_id IS NOT NULL AND (sender_id = $3 OR recipient_id = $3)))
    ORDER BY changed_at DESC, id DESC LIMIT $4
  ) AS changed ORDER BY changed_at, id`;

const LOCK_KEY = `hashtextextended(current_schema() || ' chat conversation ' || $1, 0)`;

const INSERT = `
  WITH m AS (
    INSERT INTO chat_messages (sender_id, sender_nickname, recipient_id, conv_lo, conv_hi, content, created_at, client_id, room, mentions)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
    ON CONFLICT (sender_id, client_id) WHERE client_id IS NOT NULL DO NOTHING
    RETURNING id
  ), c AS (
    INSERT INTO chat_conversations (user_id, partner_id, last_message_at, last_message_id)
    SELECT pair.u, pair.p, $7::bigint, m.id FROM m CROSS JOIN (VALUES ($1::bigint, $3::bigint), ($3::bigint, $1::bigint)) AS pair (u, p)
    WHERE $3::bigint IS NOT NULL
    ON CONFLICT (user_id, partner_id)
    DO UPDATE SET last_message_at = GREATEST(chat_conversations.last_message_at, EXCLUDED.last_message_at),
      last_message_id = GREATEST(chat_conversations.last_message_id, EXCLUDED.last_message_id)
  ), k AS (
    INSERT INTO chat_mentions (user_id, message_id, room, sender_id)
    SELECT u, m.id, $9, $1 FROM m CROSS JOIN unnest($11::bigint[]) AS u
    ON CONFLICT DO NOTHING
  )
  SELECT id FROM m`;

/** One index range per room (`$4`) and two for the private messages, merged by id. */
const SINCE = `
  SELECT ${MESSAGE_COLUMNS} FROM (
    (SELECT m.* FROM unnest($4::text[]) AS r (room)
       CROSS JOIN LATERAL (
         SELECT ${MESSAGE_COLUMNS} FROM chat_messages WHERE room = r.room AND id > $1 ORDER BY id LIMIT $3
       ) AS m)
    UNION
    (SELECT ${MESSAGE_COLUMNS} FROM chat_messages WHERE sender_id = $2 AND recipient_id IS NOT NULL AND id > $1 ORDER BY id LIMIT $3)
    UNION
    (SELECT ${MESSAGE_COLUMNS} FROM chat_messages WHERE recipient_id = $2 AND id > $1 ORDER BY id LIMIT $3)
  ) AS visible ORDER BY id LIMIT $3`;

/**
 * `MessageStore` on PostgreSQL, shared by every instance of a cluster. An append holds a
 * per-conversation advisory lock (a session lock on its pooled connection) from before
 * the insert until after `onStored` returned: the insert commits on its own (so
 * `onStored` only ever sees committed messages), ids come from one sequence taken under
 * the lock, so for one conversation, id order = commit order = `onStored` order on every
 * instance. A connection that dies releases its lock with it.
 */
export class PostgresMessageStore extends WithReadIndexes implements MessageStore {
  private readonly localOrder = new KeyedSerializer<string>();

  constructor(private readonly pool: PostgresPool) {
    super(new PostgresConversationIndex(pool), new PostgresRoomReadIndex(pool));
  }

  /** Opens a pool on `url` (see `openPostgres` for the `schema` parameter) and migrates it. */
  static async open(url: string): Promise<PostgresMessageStore> {
    const pool = await openPostgres(url, { max: 10, name: 'chat' });
    try {
      await migratePostgres(pool, 'chat', chatPostgresMigrations);
      await migratePostgres(pool, 'chat_read_state', readStatePostgresMigrations);
    } catch (error) {
      await pool.end();
      throw error;
    }
    return new PostgresMessageStore(pool);
  }

  async append(message: NewMessage, onStored?: OnStored): Promise<{ message: StoredMessage; duplicate: boolean }> {
    const [lo, hi] = conversationOf(message.senderId, message.recipientId);
    const conversation = orderingKeyOf(message);
    // one append per conversation at a time from this instance: the others wait here, not on a pooled connection
    return this.localOrder.run(conversation, () => this.appendLocked(message, onStored, conversation, lo, hi));
  }

  private async appendLocked(
    message: NewMessage,
    onStored: OnStored | undefined,
    conversation: string,
    lo: number,
    hi: number,
  ): Promise<{ message: StoredMessage; duplicate: boolean }> {
    const client = await this.pool.connect();
    let failure: Error | undefined;
    // a connection lost while it waits for `onStored` reports here, not as an uncaught 'error'
    const onError = (error: Error) => (failure ??= error);
    client.on('error', onError);
    try {
      await client.query(`SELECT pg_advisory_lock(${LOCK_KEY})`, [conversation]);
      try {
        const result = await this.insertOnce(client, message, lo, hi);
        if (!result.duplicate && onStored) await onStored(result.message);
        return result;
      } finally {
        await client.query(`SELECT pg_advisory_unlock(${LOCK_KEY})`, [conversation]);
      }
    } catch (error) {
      failure = error as Error;
      throw error;
    } finally {
      client.off('error', onError);
      // a connection in doubt is dropped, which also releases its lock
      client.release(failure);
    }
  }

  async history(query: HistoryQuery): Promise<MessagePage> {
    const before = query.beforeId ?? Number.MAX_SAFE_INTEGER;
    const [lo, hi] = conversationOf(query.viewerId, query.withUserId);
    const { rows } =
      query.withUserId === null
        ? await this.pool.query<MessageRow>(
            `SELECT ${MESSAGE_COLUMNS} FROM chat_messages WHERE room = $1 AND id < $2 ORDER BY id DESC LIMIT $3`,
            [query.room ?? 'lobby', before, query.limit + 1],
          )
        : await this.pool.query<MessageRow>(
            `SELECT ${MESSAGE_COLUMNS} FROM chat_messages WHERE conv_lo = $1 AND conv_hi = $2 AND id < $3 ORDER BY id DESC LIMIT $4`,
            [lo, hi, before, query.limit + 1],
          );
    const hasMore = rows.length > query.limit;
    return { messages: rows.slice(0, query.limit).reverse().map(toMessage), hasMore };
  }

  async since(query: SinceQuery): Promise<MessagePage> {
    const { rows } = await this.pool.query<MessageRow>(SINCE, [
      query.sinceId,
      query.viewerId,
      query.limit + 1,
      [...new Set(roomsOf(query))],
    ]);
    const hasMore = rows.length > query.limit;
    return { messages: rows.slice(0, query.limit).map(toMessage), hasMore };
  }

  async find(id: number): Promise<StoredMessage | null> {
    const { rows } = await this.pool.query<MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM chat_messages WHERE id = $1`, [
      id,
    ]);
    return rows.length > 0 ? toMessage(rows[0]) : null;
  }

  async edit(change: MessageEdit): Promise<EditedMessage | null> {
    const { rows } = await this.pool.query<MessageRow & { added: string[] | null }>(EDIT, [
      change.id,
      change.content,
      change.editedAt,
      change.mentions ?? [],
    ]);
    if (rows.length === 0) return null;
    const edited = toMessage(rows[0]);
    return { ...edited, addedMentions: (rows[0].added ?? []).map(Number) };
  }

  async remove(change: {
    id: number;
    deletedAt: number;
  }): Promise<{ message: StoredMessage; deleted: boolean } | null> {
    const { rows } = await this.pool.query<MessageRow>(ERASE, [change.id, change.deletedAt]);
    if (rows.length > 0) return { message: toMessage(rows[0]), deleted: true };
    const existing = await this.find(change.id);
    return existing ? { message: existing, deleted: false } : null;
  }

  async changedSince(query: ChangesQuery): Promise<StoredMessage[]> {
    const { rows } = await this.pool.query<MessageRow>(CHANGES, [
      query.changedFrom,
      query.untilId,
      query.viewerId,
      query.limit,
      [...roomsOf(query)],
    ]);
    return rows.map(toMessage);
  }

  ping(): Promise<boolean> {
    return pingPostgres(this.pool);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** Stores `message` unless its `(senderId, clientId)` is already stored; then answers that one. */
  private async insertOnce(
    client: PoolClient,
    message: NewMessage,
    lo: number,
    hi: number,
  ): Promise<{ message: StoredMessage; duplicate: boolean }> {
    if (message.clientId !== null) {
      const existing = await this.findByClientId(client, message.senderId, message.clientId);
      if (existing) return { message: existing, duplicate: true };
    }
    const { rows } = await client.query<{ id: string }>(INSERT, [
      message.senderId,
      message.senderNickname,
      message.recipientId,
      lo,
      hi,
      message.content,
      message.createdAt,
      message.clientId,
      roomOf(message),
      mentionsColumn(message.mentions),
      message.mentions ?? [],
    ]);
    if (rows.length === 1)
      return { message: { ...message, room: roomOf(message), id: Number(rows[0].id) }, duplicate: false };
    // the same client id was committed meanwhile under another conversation's lock
    const existing = await this.findByClientId(client, message.senderId, message.clientId!);
    if (!existing) throw new Error('message neither inserted nor found');
    return { message: existing, duplicate: true };
  }

  private async findByClientId(client: PoolClient, senderId: number, clientId: string): Promise<StoredMessage | null> {
    const { rows } = await client.query<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM chat_messages WHERE sender_id = $1 AND client_id = $2`,
      [senderId, clientId],
    );
    return rows.length > 0 ? toMessage(rows[0]) : null;
  }
}
