import type { Statement } from 'better-sqlite3';
import { GroupCommit } from '../../drivers/group-commit.js';
import { KeyedSerializer } from '../ordering/keyed-serializer.js';
import { WalCheckpointer } from './wal-checkpointer.js';
import { migrateSqlite, openSqlite, SqliteDatabase } from '../../drivers/sqlite.js';
import { chatSqliteMigrations } from './chat.sqlite-migrations.js';
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
import { mentionsColumn, mergedMentions } from '../mentions/stored-mentions.js';
import { WithReadIndexes } from '../reads/read-indexes.js';
import { SqliteRoomReadIndex } from '../reads/sqlite-room-read.index.js';
import { readStateSqliteMigrations } from '../reads/read-state.sqlite-migrations.js';
import { SqliteConversationIndex } from '../reads/sqlite-conversation.index.js';

/** Migrates the chat's tables on `db`, then opens its read indexes (their statements need the tables). */
function migratedReadIndexes(db: SqliteDatabase): [SqliteConversationIndex, SqliteRoomReadIndex] {
  migrateSqlite(db, 'chat', chatSqliteMigrations);
  migrateSqlite(db, 'chat_read_state', readStateSqliteMigrations);
  return [new SqliteConversationIndex(db), new SqliteRoomReadIndex(db)];
}

/**
 * `MessageStore` on the embedded SQLite database (write-ahead log; a commit survives the
 * process being killed). Each append — dedupe check, insert, conversation list update — is
 * atomic; the appends of one event-loop turn share one commit (`GroupCommit`) and resolve
 * after it in submission order; `onStored` calls of one conversation run one at a time in
 * id order (the file has one writer process, so that orders them for every caller). The
 * log is checkpointed by a connection on a worker thread (`WalCheckpointer`), not inside
 * the commit of an append.
 */
export class SqliteMessageStore extends WithReadIndexes implements MessageStore {
  private readonly findByClientId: Statement;
  private readonly insert: Statement;
  private readonly touchConversation: Statement;
  private readonly insertMention: Statement;
  private readonly historyPage: Statement;
  private readonly roomHistoryPage: Statement;
  private readonly sinceSent: Statement;
  private readonly sinceReceived: Statement;
  private readonly sinceRows: (query: SinceQuery) => MessageRow[];
  private readonly sinceRoom: Statement;
  private readonly byId: Statement;
  private readonly editContent: Statement;
  private readonly setMentions: Statement;
  private readonly erase: Statement;
  private readonly changes: Statement;
  private readonly storedOrder = new KeyedSerializer<string>();
  private readonly appends: GroupCommit<NewMessage, { message: StoredMessage; duplicate: boolean }>;
  /**
   * No stored message has a higher id: read at open and whenever another connection
   * committed to the file since (`data_version`: another instance, or a process still
   * draining during a restart), raised by every insert of this one, so a `since` from it or
   * above — a client reconnecting with nothing missed — needs no read.
   */
  private latestId = 0;
  private readonly maxId: Statement;
  private readonly dataVersion: Statement;
  /** `PRAGMA data_version` when `latestId` was last read from the file. */
  private latestIdVersion = -1;
  /** Checkpoints the write-ahead log off the event loop, so no append waits for one. */
  private readonly checkpointer: WalCheckpointer;

  constructor(private readonly db: SqliteDatabase) {
    super(...migratedReadIndexes(db));
    this.checkpointer = new WalCheckpointer(db);
    this.findByClientId = db.prepare(
      `SELECT ${MESSAGE_COLUMNS} FROM chat_messages WHERE sender_id = ? AND client_id = ?`,
    );
    this.insert = db.prepare(
      `INSERT INTO chat_messages (sender_id, sender_nickname, recipient_id, room, conv_lo, conv_hi, content, created_at, client_id, mentions)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
    );
    this.insertMention = db.prepare(
      'INSERT INTO chat_mentions (user_id, message_id, room, sender_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
    );
    // both sides of the conversation in one statement
    this.touchConversation = db.prepare(
      `INSERT INTO chat_conversations (user_id, partner_id, last_message_at, last_message_id) VALUES (?, ?, ?, ?), (?, ?, ?, ?)
       ON CONFLICT (user_id, partner_id) DO UPDATE SET last_message_at = max(last_message_at, excluded.last_message_at),
         last_message_id = max(last_message_id, excluded.last_message_id)`,
    );
    this.historyPage = db.prepare(
      `SELECT ${MESSAGE_COLUMNS} FROM chat_messages WHERE conv_lo = ? AND conv_hi = ? AND id < ? ORDER BY id DESC LIMIT ?`,
    );
    this.roomHistoryPage = db.prepare(
      `SELECT ${MESSAGE_COLUMNS} FROM chat_messages WHERE room = ? AND id < ? ORDER BY id DESC LIMIT ?`,
    );
    this.sinceRoom = db.prepare(
      `SELECT ${MESSAGE_COLUMNS} FROM chat_messages WHERE room = @room AND id > @since ORDER BY id LIMIT @limit`,
    );
    // two plain index ranges merged below: cheaper than one UNION with its temporary b-trees
    this.sinceSent = db.prepare(
      `SELECT ${MESSAGE_COLUMNS} FROM chat_messages WHERE sender_id = @viewer AND recipient_id IS NOT NULL AND id > @since ORDER BY id LIMIT @limit`,
    );
    this.sinceReceived = db.prepare(
      `SELECT ${MESSAGE_COLUMNS} FROM chat_messages WHERE recipient_id = @viewer AND id > @since ORDER BY id LIMIT @limit`,
    );
    this.sinceRows = db.transaction((query: SinceQuery) => this.readRowsSince(query));
    this.byId = db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM chat_messages WHERE id = ?`);
    this.editContent = db.prepare(
      `UPDATE chat_messages SET content = @content, edited_at = @at, changed_at = @at
       WHERE id = @id AND deleted_at IS NULL RETURNING ${MESSAGE_COLUMNS}`,
    );
    this.setMentions = db.prepare('UPDATE chat_messages SET mentions = ? WHERE id = ?');
    this.erase = db.prepare(
      `UPDATE chat_messages SET content = '', deleted_at = @at, changed_at = @at
       WHERE id = @id AND deleted_at IS NULL RETURNING ${MESSAGE_COLUMNS}`,
    );
    this.changes = db.prepare(
      `SELECT ${MESSAGE_COLUMNS} FROM (
         SELECT ${MESSAGE_COLUMNS}, changed_at FROM chat_messages
         WHERE changed_at >= @from AND id <= @until
           AND (room IN (SELECT value FROM json_each(@rooms))
                OR (recipient_id IS NOT NULL AND (sender_id = @viewer OR recipient_id = @viewer)))
         ORDER BY changed_at DESC, id DESC LIMIT @limit
       ) ORDER BY changed_at, id`,
    );
    this.appends = new GroupCommit(db, (message: NewMessage) => this.storeOne(message));
    this.maxId = db.prepare('SELECT max(id) AS id FROM chat_messages');
    this.dataVersion = db.prepare('PRAGMA data_version').pluck();
  }

  /** `latestId`, read again from the file when another connection committed since it was last read. */
  private currentLatestId(): number {
    const version = this.dataVersion.get() as number;
    if (version !== this.latestIdVersion) {
      this.latestIdVersion = version;
      this.latestId = Math.max(this.latestId, Number((this.maxId.get() as { id: number | null }).id ?? 0));
    }
    return this.latestId;
  }

  /**
   * One append inside the group commit: the stored message, or the earlier one with its client
   * id (the insert does nothing when the sender already stored that client id). Its only
   * effect outside the database raises `latestId`, which a rerun of the batch leaves right.
   */
  private storeOne(message: NewMessage): { message: StoredMessage; duplicate: boolean } {
    const [lo, hi] = conversationOf(message.senderId, message.recipientId);
    const inserted = this.insert.get(
      message.senderId,
      message.senderNickname,
      message.recipientId,
      roomOf(message),
      lo,
      hi,
      message.content,
      message.createdAt,
      message.clientId,
      mentionsColumn(message.mentions),
    ) as { id: number } | undefined;
    if (!inserted) {
      const existing = this.findByClientId.get(message.senderId, message.clientId) as MessageRow;
      return { message: toMessage(existing), duplicate: true };
    }
    const id = inserted.id;
    this.latestId = Math.max(this.latestId, id);
    for (const userId of message.mentions ?? []) this.insertMention.run(userId, id, roomOf(message), message.senderId);
    if (message.recipientId !== null) {
      const { senderId, recipientId, createdAt } = message;
      this.touchConversation.run(senderId, recipientId, createdAt, id, recipientId, senderId, createdAt, id);
    }
    return { message: { ...message, room: roomOf(message), id }, duplicate: false };
  }

  /** Opens the SQLite file at `path` and migrates it. */
  static open(path: string): SqliteMessageStore {
    return new SqliteMessageStore(openSqlite(path));
  }

  async append(message: NewMessage, onStored?: OnStored): Promise<{ message: StoredMessage; duplicate: boolean }> {
    const committed = this.appends.submit(message);
    if (!onStored) return committed;
    committed.catch(() => undefined); // awaited below, possibly after other appends of the conversation
    // submitted and queued in the same order: onStored runs one at a time, in id order
    return this.storedOrder.run(orderingKeyOf(message), async () => {
      const result = await committed;
      if (!result.duplicate) await onStored(result.message);
      return result;
    });
  }

  async history(query: HistoryQuery): Promise<MessagePage> {
    const before = query.beforeId ?? Number.MAX_SAFE_INTEGER;
    let rows: MessageRow[];
    if (query.withUserId === null) {
      rows = this.roomHistoryPage.all(query.room ?? 'lobby', before, query.limit + 1) as MessageRow[];
    } else {
      const [lo, hi] = conversationOf(query.viewerId, query.withUserId);
      rows = this.historyPage.all(lo, hi, before, query.limit + 1) as MessageRow[];
    }
    const hasMore = rows.length > query.limit;
    return { messages: rows.slice(0, query.limit).reverse().map(toMessage), hasMore };
  }

  /** One index range per room and two for the private messages, merged by id; no read when nothing is newer than `sinceId`. */
  async since(query: SinceQuery): Promise<MessagePage> {
    if (query.sinceId >= this.currentLatestId()) return { messages: [], hasMore: false };
    const rows = this.sinceRows(query);
    rows.sort((a, b) => Number(a.id) - Number(b.id));
    const hasMore = rows.length > query.limit;
    return { messages: rows.slice(0, query.limit).map(toMessage), hasMore };
  }

  /** The rows of `since`, unsorted, read in one transaction (one snapshot, one lock for every range). */
  private readRowsSince(query: SinceQuery): MessageRow[] {
    const params = { since: query.sinceId, viewer: query.viewerId, limit: query.limit + 1 };
    const sent = this.sinceSent.all(params) as MessageRow[];
    const sentIds = new Set(sent.map((row) => row.id));
    const rows = sent.concat((this.sinceReceived.all(params) as MessageRow[]).filter((row) => !sentIds.has(row.id)));
    for (const room of new Set(roomsOf(query))) rows.push(...(this.sinceRoom.all({ ...params, room }) as MessageRow[]));
    return rows;
  }

  async find(id: number): Promise<StoredMessage | null> {
    const row = this.byId.get(id) as MessageRow | undefined;
    return row ? toMessage(row) : null;
  }

  async edit(change: MessageEdit): Promise<EditedMessage | null> {
    return this.db.transaction(() => {
      const row = this.editContent.get({ id: change.id, content: change.content, at: change.editedAt }) as
        MessageRow | undefined;
      if (!row) return null;
      const edited = toMessage(row);
      const before = new Set(edited.mentions);
      const added = [...new Set(change.mentions)].filter((userId) => !before.has(userId)).sort((a, b) => a - b);
      if (added.length === 0) return { ...edited, addedMentions: [] };
      const mentions = mergedMentions(edited.mentions, added);
      this.setMentions.run(mentionsColumn(mentions), change.id);
      for (const userId of added) this.insertMention.run(userId, change.id, roomOf(edited), edited.senderId);
      return { ...edited, mentions, addedMentions: added };
    })();
  }

  async remove(change: {
    id: number;
    deletedAt: number;
  }): Promise<{ message: StoredMessage; deleted: boolean } | null> {
    const row = this.erase.get({ id: change.id, at: change.deletedAt }) as MessageRow | undefined;
    if (row) return { message: toMessage(row), deleted: true };
    const existing = await this.find(change.id);
    return existing ? { message: existing, deleted: false } : null;
  }

  async changedSince(query: ChangesQuery): Promise<StoredMessage[]> {
    const rows = this.changes.all({
      from: query.changedFrom,
      until: query.untilId,
      viewer: query.viewerId,
      limit: query.limit,
      rooms: JSON.stringify(roomsOf(query)),
    }) as MessageRow[];
    return rows.map(toMessage);
  }

  async ping(): Promise<boolean> {
    return this.db.prepare('SELECT 1 AS ok').get() !== undefined;
  }

  async close(): Promise<void> {
    await this.checkpointer.stop();
    if (this.db.open) this.db.close();
  }
}
