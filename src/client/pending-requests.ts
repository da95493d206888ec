interface Waiter<T> {
  key: string;
  resolve: (value: T) => void;
  reject: (reason: Error) => void;
}

/**
 * Requests waiting for their reply, matched first-in first-out per key. The server
 * answers one socket's requests in order, so the oldest waiter of a key owns the
 * next reply of that key. Every promise handed out settles: with the reply, or
 * rejected by `rejectOldest` / `rejectAll`.
 */
export class PendingRequests<T> {
  private readonly waiters: Array<Waiter<T>> = [];

  /** Number of requests still waiting. */
  get size(): number {
    return this.waiters.length;
  }

  /** Registers a request for `key`; the promise settles with its reply. */
  add(key: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiters.push({ key, resolve, reject });
    });
  }

  /** Settles the oldest waiter of `key` with `value`; false when none waits. */
  resolve(key: string, value: T): boolean {
    const i = this.waiters.findIndex((w) => w.key === key);
    if (i < 0) return false;
    const [waiter] = this.waiters.splice(i, 1);
    waiter.resolve(value);
    return true;
  }

  /** Rejects the oldest waiter (the request a refusal refers to); false when none waits. */
  rejectOldest(reason: Error): boolean {
    const waiter = this.waiters.shift();
    if (!waiter) return false;
    waiter.reject(reason);
    return true;
  }

  /** Rejects every waiter, oldest first. */
  rejectAll(reason: Error): void {
    for (const waiter of this.waiters.splice(0)) waiter.reject(reason);
  }
}
