import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../../drivers/sqlite.js';
import { UNREAD_COUNT_LIMIT } from './conversation-index.js';
import type { RoomReadIndex, RoomReadState } from './room-read-index.js';

/** Others' messages of a room after a position: one range of `chat_messages_room`, bounded. */
export const SQLITE_ROOM_UNREAD = `SELECT count(*) AS unread FROM (
    SELECT 1 FROM chat_messages WHERE room = @room AND id > @read AND sender_id <> @user AND deleted_at IS NULL
    LIMIT ${UNREAD_COUNT_LIMIT + 1})`;

/** Mentions of a user in a room after a position: one range of `chat_mentions_room`, bounded. */
const SQLITE_ROOM_MENTIONS = `SELECT count(*) AS mentions FROM (
    SELECT 1 FROM chat_mentions WHERE user_id = @user AND room = @room AND message_id > @read
    LIMIT ${UNREAD_COUNT_LIMIT + 1})`;

/** `RoomReadIndex` on the SQLite database of `SqliteMessageStore` (one writer process: an upsert is atomic). */
export class SqliteRoomReadIndex implements RoomReadIndex {
  private readonly last: Statement;
  private readonly position: Statement;
  private readonly unread: Statement;
  private readonly advance: Statement;
  private readonly mentioned: Statement;

  constructor(db: SqliteDatabase) {
    this.last = db.prepare('SELECT id, created_at FROM chat_messages WHERE room = ? ORDER BY id DESC LIMIT 1');
    this.position = db.prepare('SELECT read_id FROM chat_room_reads WHERE user_id = ? AND room = ?');
    this.unread = db.prepare(SQLITE_ROOM_UNREAD);
    this.mentioned = db.prepare(SQLITE_ROOM_MENTIONS);
    this.advance = db.prepare(
      `INSERT INTO chat_room_reads (user_id, room, read_id) VALUES (@user, @room, @id)
       ON CONFLICT (user_id, room) DO UPDATE SET read_id = max(read_id, excluded.read_id)`,
    );
  }

  async roomReadStates(query: { userId: number; rooms: readonly string[] }): Promise<RoomReadState[]> {
    return query.rooms.map((room) => this.stateOf(query.userId, room));
  }

  async markRoomRead(mark: { userId: number; room: string; messageId: number }): Promise<RoomReadState> {
    const last = this.last.get(mark.room) as { id: number } | undefined;
    this.advance.run({ user: mark.userId, room: mark.room, id: Math.min(mark.messageId, last?.id ?? 0) });
    return this.stateOf(mark.userId, mark.room);
  }

  private stateOf(userId: number, room: string): RoomReadState {
    const last = this.last.get(room) as { id: number; created_at: number } | undefined;
    const readId = (this.position.get(userId, room) as { read_id: number } | undefined)?.read_id ?? 0;
    const params = { room, read: readId, user: userId };
    const { unread } = this.unread.get(params) as { unread: number };
    const { mentions } = this.mentioned.get(params) as { mentions: number };
    return { room, lastMessageId: last?.id ?? 0, lastMessageAt: last?.created_at ?? null, readId, unread, mentions };
  }
}
