import type { PostgresPool } from '../../drivers/postgres.js';
import { ForumRoom, RoomStanding, RoomStore } from '../rooms/room.store.js';

interface StandingRow {
  id: string;
  title: string;
  public: boolean;
  read_only: boolean;
  member: boolean;
  moderator: boolean;
}

const STANDING = `
  SELECT r.id, r.title, r.public, r.read_only,
    EXISTS (SELECT 1 FROM forum_room_members m WHERE m.room_id = r.id AND m.user_id = $1) AS member,
    EXISTS (SELECT 1 FROM forum_room_moderators m WHERE m.room_id = r.id AND m.user_id = $1) AS moderator
  FROM forum_rooms r`;

const PEOPLE = `
  SELECT r.id, r.title, r.public, r.read_only,
    ARRAY(SELECT user_id FROM forum_room_members m WHERE m.room_id = r.id ORDER BY user_id) AS members,
    ARRAY(SELECT user_id FROM forum_room_moderators m WHERE m.room_id = r.id ORDER BY user_id) AS moderators
  FROM forum_rooms r`;

interface PeopleRow {
  id: string;
  title: string;
  public: boolean;
  read_only: boolean;
  members: string[];
  moderators: string[];
}

const toRoom = (row: PeopleRow): ForumRoom => ({
  id: row.id,
  title: row.title,
  members: row.public ? null : row.members.map(Number),
  moderators: row.moderators.map(Number),
  readOnly: row.read_only,
});

const toStanding = (row: StandingRow): RoomStanding => ({
  id: row.id,
  title: row.title,
  public: row.public,
  readOnly: row.read_only,
  member: row.member,
  moderator: row.moderator,
});

/** `RoomStore` on PostgreSQL, shared by every instance. */
export class PostgresRoomStore implements RoomStore {
  constructor(private readonly pool: PostgresPool) {}

  async put(room: ForumRoom): Promise<{ created: boolean }> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ created: boolean }>(
        `INSERT INTO forum_rooms (id, title, public, read_only) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, public = EXCLUDED.public, read_only = EXCLUDED.read_only
         RETURNING (xmax = 0) AS created`,
        [room.id, room.title, room.members === null, room.readOnly],
      );
      await client.query('DELETE FROM forum_room_members WHERE room_id = $1', [room.id]);
      await client.query('DELETE FROM forum_room_moderators WHERE room_id = $1', [room.id]);
      await client.query(
        'INSERT INTO forum_room_members (room_id, user_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING',
        [room.id, room.members ?? []],
      );
      await client.query(
        'INSERT INTO forum_room_moderators (room_id, user_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING',
        [room.id, room.moderators],
      );
      await client.query('COMMIT');
      return { created: rows[0].created };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async delete(id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM forum_rooms WHERE id = $1', [id]);
    return (rowCount ?? 0) > 0;
  }

  async get(id: string): Promise<ForumRoom | null> {
    const { rows } = await this.pool.query<PeopleRow>(`${PEOPLE} WHERE r.id = $1`, [id]);
    return rows.length > 0 ? toRoom(rows[0]) : null;
  }

  async list(): Promise<ForumRoom[]> {
    const { rows } = await this.pool.query<PeopleRow>(`${PEOPLE} ORDER BY r.id`);
    return rows.map(toRoom);
  }

  async standingIn(userId: number, roomId: string): Promise<RoomStanding | null> {
    const { rows } = await this.pool.query<StandingRow>(`${STANDING} WHERE r.id = $2`, [userId, roomId]);
    return rows.length > 0 ? toStanding(rows[0]) : null;
  }

  async standingsOf(userId: number): Promise<RoomStanding[]> {
    const { rows } = await this.pool.query<StandingRow>(
      `SELECT * FROM (${STANDING}) AS s WHERE public OR member OR moderator ORDER BY id`,
      [userId],
    );
    return rows.map(toStanding);
  }
}
