/** The key of the public room (the server's `lobby`) in the page's stores. */
export const PUBLIC = 'public';

/** The server's id of the public room. */
export const LOBBY = 'lobby';

/** The store key of the private conversation with user `userId`. */
export const privateKey = (userId) => `u/${userId}`;

/** The store key of room `roomId` (`lobby` is the public room). */
export const roomKey = (roomId) => (roomId === LOBBY ? PUBLIC : `r/${roomId}`);

/** The user id of a private conversation key, or null for a room. */
export function peerOfKey(key) {
  return key.startsWith('u/') ? Number(key.slice(2)) : null;
}

/** The room id of a room key (`lobby` for the public room), or null for a private conversation. */
export function roomOfKey(key) {
  if (key === PUBLIC) return LOBBY;
  return key.startsWith('r/') ? key.slice(2) : null;
}

/** The conversation a message belongs to, seen by user `meId`. */
export function keyOfMessage(message, meId) {
  if (message.type === 'chat_message') return roomKey(message.room ?? LOBBY);
  return privateKey(message.user_id === meId ? message.to : message.user_id);
}

/** The conversation a `read` frame (or a server list entry with `with`/`room`) is about. */
export function keyOfTarget({ with: peer, room }) {
  return typeof peer === 'number' ? privateKey(peer) : roomKey(room ?? LOBBY);
}

/** What `mark_read` names for conversation `key`: `{ with }` or `{ room }`. */
export function readTargetOf(key) {
  const peer = peerOfKey(key);
  return peer === null ? { room: roomOfKey(key) } : { with: peer };
}

/** Whose typing a `typing` frame tells: the room's followers (`room`) or the private conversation with its sender. */
export function keyOfTyping(frame) {
  return typeof frame.room === 'string' ? roomKey(frame.room) : privateKey(frame.user_id);
}

/**
 * Orders conversation entries as the server does (most recent private message first), then
 * the conversations opened here that have no message yet, by lower-cased nickname.
 */
export function sortConversations(entries) {
  return [...entries].sort((a, b) => {
    if (a.last_message_at !== b.last_message_at) {
      if (a.last_message_at === null) return 1;
      if (b.last_message_at === null) return -1;
      return a.last_message_at < b.last_message_at ? 1 : -1;
    }
    const x = a.nickname.toLowerCase();
    const y = b.nickname.toLowerCase();
    return x < y ? -1 : x > y ? 1 : a.id - b.id;
  });
}
