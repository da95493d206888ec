import type { Statement } from 'better-sqlite3';
import { SqliteDatabase } from '../../drivers/sqlite.js';
import { ForumRoom, RoomStanding, RoomStore } from '../rooms/room.store.js';

interface StandingRow {
  id: string;
  title: string;
  public: number;
  read_only: number;
  member: number;
  moderator: number;
}

interface RoomRow {
  id: string;
  title: string;
  public: number;
  read_only: number;
}

const STANDING = `
  SELECT r.id, r.title, r.public, r.read_only,
    EXISTS (SELECT 1 FROM forum_room_members m WHERE m.room_id = r.id AND m.user_id = @user) AS member,
    EXISTS (SELECT 1 FROM forum_room_moderators m WHERE m.room_id = r.id AND m.user_id = @user) AS moderator
  FROM forum_rooms r`;

const toStanding = (row: StandingRow): RoomStanding => ({
  id: row.id,
  title: row.title,
  public: row.public === 1,
  readOnly: row.read_only === 1,
  member: row.member === 1,
  moderator: row.moderator === 1,
});

/** `RoomStore` on the embedded SQLite database. */
export class SqliteRoomStore implements RoomStore {
  private readonly upsert: Statement;
  private readonly clearMembers: Statement;
  private readonly clearModerators: Statement;
  private readonly addMember: Statement;
  private readonly addModerator: Statement;
  private readonly remove: Statement;
  private readonly one: Statement;
  private readonly all: Statement;
  private readonly membersOf: Statement;
  private readonly moderatorsOf: Statement;
  private readonly standing: Statement;
  private readonly standings: Statement;
  private readonly replace: (room: ForumRoom) => { created: boolean };

  constructor(private readonly db: SqliteDatabase) {
    this.upsert = db.prepare(
      `INSERT INTO forum_rooms (id, title, public, read_only) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET title = excluded.title, public = excluded.public, read_only = excluded.read_only`,
    );
    this.clearMembers = db.prepare('DELETE FROM forum_room_members WHERE room_id = ?');
    this.clearModerators = db.prepare('DELETE FROM forum_room_moderators WHERE room_id = ?');
    this.addMember = db.prepare('INSERT OR IGNORE INTO forum_room_members (room_id, user_id) VALUES (?, ?)');
    this.addModerator = db.prepare('INSERT OR IGNORE INTO forum_room_moderators (room_id, user_id) VALUES (?, ?)');
    this.remove = db.prepare('DELETE FROM forum_rooms WHERE id = ?');
    this.one = db.prepare('SELECT id, title, public, read_only FROM forum_rooms WHERE id = ?');
    this.all = db.prepare('SELECT id, title, public, read_only FROM forum_rooms ORDER BY id');
    this.membersOf = db.prepare('SELECT user_id FROM forum_room_members WHERE room_id = ? ORDER BY user_id');
    this.moderatorsOf = db.prepare('SELECT user_id FROM forum_room_moderators WHERE room_id = ? ORDER BY user_id');
    this.standing = db.prepare(`${STANDING} WHERE r.id = @room`);
    this.standings = db.prepare(`SELECT * FROM (${STANDING}) WHERE public = 1 OR member OR moderator ORDER BY id`);
    this.replace = db.transaction((room: ForumRoom) => {
      const created = this.one.get(room.id) === undefined;
      this.upsert.run(room.id, room.title, room.members === null ? 1 : 0, room.readOnly ? 1 : 0);
      this.clearMembers.run(room.id);
      this.clearModerators.run(room.id);
      for (const userId of room.members ?? []) this.addMember.run(room.id, userId);
      for (const userId of room.moderators) this.addModerator.run(room.id, userId);
      return { created };
    });
  }

  async put(room: ForumRoom): Promise<{ created: boolean }> {
    return this.replace(room);
  }

  async delete(id: string): Promise<boolean> {
    return this.remove.run(id).changes > 0;
  }

  async get(id: string): Promise<ForumRoom | null> {
    const row = this.one.get(id) as RoomRow | undefined;
    return row ? this.withPeople(row) : null;
  }

  async list(): Promise<ForumRoom[]> {
    return (this.all.all() as RoomRow[]).map((row) => this.withPeople(row));
  }

  async standingIn(userId: number, roomId: string): Promise<RoomStanding | null> {
    const row = this.standing.get({ user: userId, room: roomId }) as StandingRow | undefined;
    return row ? toStanding(row) : null;
  }

  async standingsOf(userId: number): Promise<RoomStanding[]> {
    return (this.standings.all({ user: userId }) as StandingRow[]).map(toStanding);
  }

  private withPeople(row: RoomRow): ForumRoom {
    const ids = (statement: Statement) => (statement.all(row.id) as Array<{ user_id: number }>).map((r) => r.user_id);
    return {
      id: row.id,
      title: row.title,
      members: row.public === 1 ? null : ids(this.membersOf),
      moderators: ids(this.moderatorsOf),
      readOnly: row.read_only === 1,
    };
  }
}
