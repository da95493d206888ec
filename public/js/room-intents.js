import { LOBBY, PUBLIC, roomKey, roomOfKey } from './conversations.js';
import { saveRooms, savedRooms } from './followed-rooms.js';

/** Joins beyond the server's `join`/`leave` burst wait this long when `retry_after_ms` is missing. */
const RETRY_MS = 1_000;

/**
 * The intents about rooms: read the list the forum allows (and join again, one at a time, the
 * rooms this browser followed), follow a room when it is opened, leave one, forget one the
 * forum took away. Each talks to the typed client and records the outcome through the state's
 * actions; none rejects. `open(key)` is the page's open intent.
 */
export function createRoomIntents({ client, state, open: openKey }) {
  const save = () => saveRooms(state.me.id, state.rooms.followed);
  const warn = (what, error) => {
    if (client.state === 'open') console.warn(what, error);
  };

  /** Joins `room`; a join refused as rate-limited (many rooms at once) is tried again when the server says. */
  async function follow(room) {
    for (let attempt = 0; attempt < 5 && !state.rooms.follows(room); attempt++) {
      try {
        state.setFollowing(room, await client.joinRoom(room));
        save();
        return;
      } catch (error) {
        const frame = error?.frame;
        if (frame?.code !== 'rate_limited') return warn(`could not join ${room}`, error);
        await new Promise((resolve) => setTimeout(resolve, frame.retry_after_ms ?? RETRY_MS));
      }
    }
  }

  async function refreshRooms() {
    try {
      state.setRooms((await client.requestRooms()).rooms);
    } catch (error) {
      return warn('room list failed', error);
    }
    const listed = new Set(state.rooms.list.map((r) => r.id));
    const open = roomOfKey(state.current);
    if (open !== null && open !== LOBBY && !listed.has(open)) openKey(PUBLIC); // an old link to a room one may not read
    const saved = savedRooms(state.me.id).filter((room) => listed.has(room));
    saveRooms(state.me.id, saved); // a room taken away while this browser was gone is forgotten
    if (open !== null && listed.has(open)) await follow(open);
    for (const room of saved) await follow(room);
  }

  async function leave(room) {
    if (room === LOBBY) return;
    if (state.current === roomKey(room)) openKey(PUBLIC);
    try {
      await client.leaveRoom(room);
    } catch (error) {
      warn(`could not leave ${room}`, error);
    }
    state.setFollowing(room, null);
    save();
  }

  /** The forum took `room` away (`left` with reason access): gone from the list, with a notice; the public room opens if it was open. */
  function takenAway(room) {
    const wasOpen = state.current === roomKey(room);
    state.roomTakenAway(room);
    save();
    if (wasOpen) openKey(PUBLIC);
  }

  return { refreshRooms, followRoom: (room) => follow(room), leaveRoom: (room) => leave(room), takenAway };
}
