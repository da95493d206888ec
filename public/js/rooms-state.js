import { LOBBY } from './conversations.js';

/**
 * The rooms the forum lets this user read (the server's `rooms` entries, lobby first, then by
 * title) and the ones this page follows (`join`ed: their messages arrive live). Lobby is
 * always followed. Changed only through `ChatState`'s actions.
 */
export class RoomsState {
  constructor() {
    this.list = [];
    this.followed = new Set();
    this.loaded = false;
  }

  /** The server's list; a room the page followed and that is no longer listed stays followed until `left`. */
  setList(entries) {
    this.list = entries.map((e) => ({ ...e }));
    this.loaded = true;
  }

  /** A `joined` frame: the room is followed, with its title and rights as the forum says now. */
  joined({ room, title, post, moderate }) {
    this.followed.add(room);
    const entry = this.entry(room);
    if (entry) Object.assign(entry, { title, post, moderate });
    else this.list.push({ id: room, title, post, moderate, last_message_at: null, last_message_id: 0, read_id: 0, unread: 0, mentions: 0 });
  }

  left(room) {
    this.followed.delete(room);
  }

  /** The room is gone from this user's rooms (access taken away). */
  remove(room) {
    this.followed.delete(room);
    this.list = this.list.filter((e) => e.id !== room);
  }

  /** The list entry of `room`, or undefined. */
  entry(room) {
    return this.list.find((e) => e.id === room);
  }

  /** Whether the page receives `room`'s messages live. */
  follows(room) {
    return room === LOBBY || this.followed.has(room);
  }

  /** The room's title (lobby: "Public room"), or its id when unknown. */
  titleOf(room) {
    if (room === LOBBY) return 'Public room';
    return this.entry(room)?.title ?? room;
  }
}
