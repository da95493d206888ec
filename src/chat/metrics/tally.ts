/**
 * A plain counter per key, for the hot paths of the chat: `add` is one map update, no
 * label resolution, no allocation once a key exists. The metrics registry reads the
 * totals at scrape time. Totals only grow.
 */
export class Tally<K extends string = string> {
  private readonly totals = new Map<K, number>();

  /** Starts with every key in `keys` at 0, so each series exists before its first event. */
  constructor(keys: Iterable<K> = []) {
    for (const key of keys) this.totals.set(key, 0);
  }

  add(key: K, amount = 1): void {
    this.totals.set(key, (this.totals.get(key) ?? 0) + amount);
  }

  /** The current total of every key seen (or preset). */
  entries(): IterableIterator<[K, number]> {
    return this.totals.entries();
  }
}
