import { LOBBY, PUBLIC, roomKey, roomOfKey } from './conversations.js';
import { saveRooms, savedRooms } from './followed-rooms.js';

/**
 * The intents about rooms: read the list the forum allows (and join again the rooms this
 * browser followed), follow a room when it is opened, leave one. Each talks to the typed
 * client and records the outcome through the state's actions; none rejects.
 */
export function createRoomIntents({ client, state, open: openKey }) {
  const save = () => saveRooms(state.me.id, state.rooms.followed);
  const warn = (what, error) => {
    if (client.state === 'open') console.warn(what, error);
  };

  async function follow(room) {
    if (state.rooms.follows(room)) return;
    try {
      state.setFollowing(room, await client.joinRoom(room));
      save();
    } catch (error) {
      warn(`could not join ${room}`, error);
    }
  }

  async function refreshRooms() {
    try {
      state.setRooms((await client.requestRooms()).rooms);
    } catch (error) {
      warn('room list failed', error);
      return;
    }
    const listed = new Set(state.rooms.list.map((r) => r.id));
    const saved = savedRooms(state.me.id).filter((room) => listed.has(room));
    saveRooms(state.me.id, saved); // a room taken away while this browser was gone is forgotten
    for (const room of saved) void follow(room);
    const open = roomOfKey(state.current);
    if (open === null || open === LOBBY) return;
    if (listed.has(open)) void follow(open);
    else openKey(PUBLIC); // a room this user may not read (an old link): the public room instead
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

  /** The forum took `room` away: forgotten here too. */
  function takenAway(room) {
    state.roomTakenAway(room);
    save();
  }

  return { refreshRooms, followRoom: (room) => follow(room), leaveRoom: (room) => leave(room), takenAway };
}
