import type { ChatCapability } from '../chat/protocol/capabilities.js';
import type { ServerFrame } from '../chat/protocol/frames.js';

/** `url` with `caps=<capabilities>` added to its query (unchanged when there are none). */
export function withCapabilities(url: string, capabilities: readonly ChatCapability[]): string {
  if (capabilities.length === 0) return url;
  const hash = url.indexOf('#');
  const base = hash < 0 ? url : url.slice(0, hash);
  const separator = base.includes('?') ? '&' : '?';
  return `${base}${separator}caps=${capabilities.join(',')}${hash < 0 ? '' : url.slice(hash)}`;
}

/**
 * Who is online as far as this client knows, from whichever presence frames the server
 * sends: `online_users` + `user_joined`/`user_left` (seed protocol) or `online_page` +
 * `presence` (`presence_changes`). `count` is always the server's count; `users` holds the
 * users the client has been told about (the pages it loaded, and every change since).
 * `complete` is false after a `presence` frame with `overflow` or a cut `online_users`,
 * until the pages are read again (`ChatClient.requestOnlinePage`).
 */
export class OnlinePresence {
  private readonly known = new Map<number, string>();
  private total = 0;
  private whole = false;

  get count(): number {
    return this.total;
  }

  /** Online users known to the client, id → nickname. */
  get users(): ReadonlyMap<number, string> {
    return this.known;
  }

  /** Whether `users` is every online user. */
  get complete(): boolean {
    return this.whole;
  }

  /** Applies one server frame; true when it was a presence frame. */
  apply(frame: ServerFrame): boolean {
    switch (frame.type) {
      case 'online_users':
        this.known.clear();
        for (const user of frame.users) this.known.set(user.id, user.nickname);
        this.total = frame.count ?? frame.users.length;
        this.whole = frame.count === undefined;
        return true;
      case 'user_joined':
      case 'user_left':
        if (frame.type === 'user_joined') this.known.set(frame.user_id, frame.nickname);
        else this.known.delete(frame.user_id);
        this.total = this.known.size;
        return true;
      case 'online_page':
        for (const user of frame.users) this.known.set(user.id, user.nickname);
        this.total = frame.count;
        this.whole = !frame.has_more && this.known.size === frame.count;
        return true;
      case 'presence':
        for (const user of frame.joined) this.known.set(user.id, user.nickname);
        for (const user of frame.left) this.known.delete(user.id);
        this.total = frame.count;
        if (frame.overflow) this.whole = false;
        return true;
      default:
        return false;
    }
  }

  /** Forgets everything (a new connection starts over). */
  reset(): void {
    this.known.clear();
    this.total = 0;
    this.whole = false;
  }
}
