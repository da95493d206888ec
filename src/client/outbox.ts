/**
 * Messages sent but not yet acknowledged, keyed by `client_id`, in the order they
 * were sent. An entry leaves only through `take` (its ack arrived, or it was refused)
 * or `clear`; a reconnect re-sends every entry of `entries()` unchanged, so the
 * server can recognise the retry by its `client_id`.
 */
export class Outbox<T> {
  private readonly items = new Map<string, T>();

  /** Number of unacknowledged messages. */
  get size(): number {
    return this.items.size;
  }

  /** Adds a message; a `client_id` already present is an error (ids must be unique). */
  add(clientId: string, item: T): void {
    if (this.items.has(clientId)) throw new Error(`duplicate client_id ${clientId}`);
    this.items.set(clientId, item);
  }

  /** True while `clientId` is waiting for its ack. */
  has(clientId: string): boolean {
    return this.items.has(clientId);
  }

  /** Removes and returns the entry for `clientId`; undefined if it is not waiting. */
  take(clientId: string): T | undefined {
    const item = this.items.get(clientId);
    if (item !== undefined) this.items.delete(clientId);
    return item;
  }

  /** Every waiting entry, oldest first (a snapshot: safe to modify the outbox meanwhile). */
  entries(): Array<[string, T]> {
    return [...this.items.entries()];
  }

  /** Removes and returns every entry, oldest first. */
  clear(): Array<[string, T]> {
    const all = this.entries();
    this.items.clear();
    return all;
  }
}
