/** Idle time after which "typing" is withdrawn. */
export const TYPING_IDLE_MS = 3_000;
/** While the user keeps typing, `typing: true` is repeated this often (below the display expiry). */
export const TYPING_REFRESH_MS = 2_500;
/** A remote "is typing" shown without a refresh disappears after this long. */
export const TYPING_DISPLAY_MS = 6_000;

/**
 * Sends `typing` for the local user: `active: true` on the first keystroke (repeated
 * every TYPING_REFRESH_MS while typing goes on), `active: false` after TYPING_IDLE_MS
 * without input, on send, or when the conversation changes.
 */
export class TypingSender {
  constructor(client) {
    this.client = client;
    this.peer = null;
    this.lastSent = 0;
    this.idleTimer = null;
  }

  /** The user typed in the conversation with `peerId`. */
  input(peerId) {
    if (this.peer !== null && this.peer !== peerId) this.stop();
    const now = Date.now();
    if (this.peer === null || now - this.lastSent >= TYPING_REFRESH_MS) {
      if (this.client.sendTyping(peerId, true)) this.lastSent = now;
      this.peer = peerId;
    }
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.stop(), TYPING_IDLE_MS);
  }

  /** Withdraws "typing" if it was announced. */
  stop() {
    clearTimeout(this.idleTimer);
    this.idleTimer = null;
    if (this.peer !== null) this.client.sendTyping(this.peer, false);
    this.peer = null;
    this.lastSent = 0;
  }
}

/**
 * Who is typing to the local user right now: set by `typing` frames, cleared by
 * `active: false`, by a message from that user, or after TYPING_DISPLAY_MS.
 */
export class TypingWatcher {
  constructor(onChange) {
    this.onChange = onChange;
    this.typing = new Map();
  }

  /** Applies a `typing` frame. */
  update(frame) {
    clearTimeout(this.typing.get(frame.user_id)?.timer);
    if (frame.active) {
      const timer = setTimeout(() => this.clear(frame.user_id), TYPING_DISPLAY_MS);
      this.typing.set(frame.user_id, { nickname: frame.nickname, timer });
    } else {
      this.typing.delete(frame.user_id);
    }
    this.onChange();
  }

  /** Forgets user `userId` (they sent their message, or left). */
  clear(userId) {
    const entry = this.typing.get(userId);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.typing.delete(userId);
    this.onChange();
  }

  /** The nickname of `userId` while they are typing, else null. */
  nicknameOf(userId) {
    return this.typing.get(userId)?.nickname ?? null;
  }
}
