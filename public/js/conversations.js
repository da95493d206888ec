/** The key of the public room in the page's stores. */
export const PUBLIC = 'public';

/** The store key of the private conversation with user `userId`. */
export const privateKey = (userId) => `u/${userId}`;

/** The user id of a private conversation key, or null for the public room. */
export function peerOfKey(key) {
  return key.startsWith('u/') ? Number(key.slice(2)) : null;
}

/** The conversation a message belongs to, seen by user `meId`. */
export function keyOfMessage(message, meId) {
  if (message.type === 'chat_message') return PUBLIC;
  return privateKey(message.user_id === meId ? message.to : message.user_id);
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
