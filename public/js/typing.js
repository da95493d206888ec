/** Idle time after which "typing" is withdrawn. */
export const TYPING_IDLE_MS = 3_000;
/** While the user keeps typing, `typing: true` is repeated this often (below the display expiry). */
export const TYPING_REFRESH_MS = 2_500;
/** A remote "is typing" shown without a refresh disappears after this long. */
export const TYPING_DISPLAY_MS = 6_000;

const sameTarget = (a, b) => (typeof a === 'number' ? a === b : a?.room === b?.room);

/**
 * Sends `typing` for the local user to one target, a user id (private) or `{ room }`:
 * `active: true` on the first keystroke (repeated every TYPING_REFRESH_MS while typing goes
 * on), `active: false` after TYPING_IDLE_MS without input, on send, or when the target changes.
 */
export class TypingSender {
  constructor(client) {
    this.client = client;
    this.target = null;
    this.lastSent = 0;
    this.idleTimer = null;
  }

  /** The user typed to `target` (a user id, or `{ room }`). */
  input(target) {
    if (this.target !== null && !sameTarget(this.target, target)) this.stop();
    const now = Date.now();
    if (this.target === null || now - this.lastSent >= TYPING_REFRESH_MS) {
      if (this.client.sendTyping(target, true)) this.lastSent = now;
      this.target = target;
    }
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.stop(), TYPING_IDLE_MS);
  }

  /** Withdraws "typing" if it was announced. */
  stop() {
    clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (this.target !== null) this.client.sendTyping(this.target, false);
    this.target = null;
    this.lastSent = 0;
  }
}

/**
 * Who is typing where, per conversation key: set by `typing` frames, cleared by
 * `active: false`, by a message from that user there, or after TYPING_DISPLAY_MS.
 */
export class TypingWatcher {
  constructor(onChange) {
    this.onChange = onChange;
    this.typing = new Map(); // `${key} ${userId}` → { key, userId, nickname, timer }
  }

  /** Applies a `typing` frame of conversation `key` (the public room's key when absent). */
  update(frame, key = 'public') {
    const id = `${key} ${frame.user_id}`;
    clearTimeout(this.typing.get(id)?.timer);
    if (frame.active) {
      const timer = setTimeout(() => this.clear(frame.user_id, key), TYPING_DISPLAY_MS);
      this.typing.set(id, { key, userId: frame.user_id, nickname: frame.nickname, timer });
    } else {
      this.typing.delete(id);
    }
    this.onChange();
  }

  /** Forgets user `userId` in conversation `key`, or everywhere without one (they sent, or left). */
  clear(userId, key = null) {
    let changed = false;
    for (const [id, entry] of this.typing) {
      if (entry.userId !== userId || (key !== null && entry.key !== key)) continue;
      clearTimeout(entry.timer);
      this.typing.delete(id);
      changed = true;
    }
    if (changed) this.onChange();
  }

  /** The nicknames of who is typing in conversation `key`, in the order they started. */
  typistsOf(key) {
    return [...this.typing.values()].filter((e) => e.key === key).map((e) => e.nickname);
  }

  /** The nickname of `userId` while they are typing (in `key`, or anywhere), else null. */
  nicknameOf(userId, key = null) {
    for (const entry of this.typing.values()) {
      if (entry.userId === userId && (key === null || entry.key === key)) return entry.nickname;
    }
    return null;
  }
}

/** "ann is typing…", "ann and ben are typing…", "Several people are typing…", or ''. */
export function typingLine(names) {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return 'Several people are typing…';
}
