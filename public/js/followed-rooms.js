const keyOf = (userId) => `forum-chat:rooms:${userId}`;

/**
 * The rooms user `userId` follows in this browser (joined, not left), kept in `localStorage`
 * so the next visit joins them again. Empty when storage is unavailable.
 */
export function savedRooms(userId) {
  try {
    const value = JSON.parse(localStorage.getItem(keyOf(userId)) ?? '[]');
    return Array.isArray(value) ? value.filter((r) => typeof r === 'string') : [];
  } catch {
    return [];
  }
}

/** Saves the rooms user `userId` follows. */
export function saveRooms(userId, rooms) {
  try {
    localStorage.setItem(keyOf(userId), JSON.stringify([...rooms]));
  } catch {
    // storage full or disabled: the next visit starts with lobby only
  }
}
