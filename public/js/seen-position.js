/** How often at most the position is written while messages stream in. */
const SAVE_EVERY_MS = 1_000;

const keyOf = (userId) => `forum-chat:seen:${userId}`;

/**
 * The greatest message id this browser has received for user `userId`, kept in
 * `localStorage` across visits: the next visit resumes from it, so what arrived while the
 * user was away is replayed and counted as unread. Undefined on a first visit (or when
 * storage is unavailable).
 */
export function savedPosition(userId) {
  try {
    const value = Number(localStorage.getItem(keyOf(userId)));
    return Number.isInteger(value) && value > 0 ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps the saved position of `userId` at the client's `lastMessageId` (at most once a second, and on leaving). */
export function keepPosition(userId, client) {
  let timer = null;
  const save = () => {
    timer = null;
    if (client.lastMessageId <= 0) return;
    try {
      localStorage.setItem(keyOf(userId), String(client.lastMessageId));
    } catch {
      // storage full or disabled: the next visit just starts without a position
    }
  };
  const soon = () => {
    if (timer === null) timer = setTimeout(save, SAVE_EVERY_MS);
  };
  client.on('chat_message', soon);
  client.on('private_message', soon);
  client.on('synced', soon);
  window.addEventListener('pagehide', save);
}
