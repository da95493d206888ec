/** Most keys one query of a `BatchedLookup` carries (the rest go in the next one). */
export const LOOKUP_BATCH_LIMIT = 500;

interface Waiter<K, V> {
  key: K;
  resolve: (value: V | undefined) => void;
  reject: (error: unknown) => void;
}

/**
 * Look-ups by key that go to the database together: the ones asked for in the same turn of
 * the event loop, or while the previous query is on its way, are answered by one query
 * (`load` with their distinct keys, at most `LOOKUP_BATCH_LIMIT`). A burst of handshakes
 * thus costs a few queries instead of one each, and a lone look-up waits one turn at most.
 * Each query is sent after every look-up it answers was asked, so it sees everything
 * committed before them. A failed query rejects each look-up it was to answer.
 */
export class BatchedLookup<K, V> {
  private waiting: Array<Waiter<K, V>> = [];
  private running: Promise<void> | null = null;

  constructor(private readonly load: (keys: K[]) => Promise<Map<K, V>>) {}

  /** The value stored under `key`, or undefined when there is none. */
  get(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ key, resolve, reject });
      this.running ??= new Promise<void>((turn) => setImmediate(turn)).then(() => this.drain());
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting.length > 0) {
        const keys = [...new Set(this.waiting.map((waiter) => waiter.key))].slice(0, LOOKUP_BATCH_LIMIT);
        const included = new Set(keys);
        const batch = this.waiting.filter((waiter) => included.has(waiter.key));
        this.waiting = this.waiting.filter((waiter) => !included.has(waiter.key));
        try {
          const found = await this.load(keys);
          for (const waiter of batch) waiter.resolve(found.get(waiter.key));
        } catch (error) {
          for (const waiter of batch) waiter.reject(error);
        }
      }
    } finally {
      this.running = null;
    }
  }
}
