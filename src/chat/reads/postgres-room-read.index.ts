import type { PostgresPool } from '../../drivers/postgres.js';
import { UNREAD_COUNT_LIMIT } from './conversation-index.js';
import type { RoomReadIndex, RoomReadState } from './room-read-index.js';

interface StateRow {
  last_id: string | null;
  last_at: string | null;
  read_id: string | null;
  unread: string;
  mentions: string;
}

/** One room's state for one user: its last message, the user's position, others' unread messages (bounded). */
const STATE = `
  WITH last AS (SELECT id, created_at FROM chat_messages WHERE room = $2 ORDER BY id DESC LIMIT 1),
       pos AS (SELECT coalesce((SELECT read_id FROM chat_room_reads WHERE user_id = $1 AND room = $2), 0) AS read_id)
  SELECT (SELECT id FROM last) AS last_id, (SELECT created_at FROM last) AS last_at, pos.read_id,
    (SELECT count(*) FROM (SELECT 1 FROM chat_messages
       WHERE room = $2 AND id > pos.read_id AND sender_id <> $1 AND deleted_at IS NULL
       LIMIT ${UNREAD_COUNT_LIMIT + 1}) AS u) AS unread,
    (SELECT count(*) FROM (SELECT 1 FROM chat_mentions
       WHERE user_id = $1 AND room = $2 AND message_id > pos.read_id
       LIMIT ${UNREAD_COUNT_LIMIT + 1}) AS k) AS mentions
  FROM pos`;

const ADVANCE = `
  INSERT INTO chat_room_reads (user_id, room, read_id)
  VALUES ($1, $2, LEAST($3::bigint, coalesce((SELECT max(id) FROM chat_messages WHERE room = $2), 0)))
  ON CONFLICT (user_id, room) DO UPDATE SET read_id = GREATEST(chat_room_reads.read_id, EXCLUDED.read_id)`;

/** `RoomReadIndex` on the PostgreSQL database of `PostgresMessageStore`; a position moves with `GREATEST`, never back. */
export class PostgresRoomReadIndex implements RoomReadIndex {
  constructor(private readonly pool: PostgresPool) {}

  async roomReadStates(query: { userId: number; rooms: readonly string[] }): Promise<RoomReadState[]> {
    return Promise.all(query.rooms.map((room) => this.stateOf(query.userId, room)));
  }

  async markRoomRead(mark: { userId: number; room: string; messageId: number }): Promise<RoomReadState> {
    await this.pool.query(ADVANCE, [mark.userId, mark.room, mark.messageId]);
    return this.stateOf(mark.userId, mark.room);
  }

  private async stateOf(userId: number, room: string): Promise<RoomReadState> {
    const { rows } = await this.pool.query<StateRow>(STATE, [userId, room]);
    const row = rows[0];
    return {
      room,
      lastMessageId: Number(row.last_id ?? 0),
      lastMessageAt: row.last_at === null ? null : Number(row.last_at),
      readId: Number(row.read_id ?? 0),
      unread: Number(row.unread),
      mentions: Number(row.mentions),
    };
  }
}
