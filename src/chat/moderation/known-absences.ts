/**
 * Ids for which a store read found nothing (no block, no mute), each remembered for
 * `ttlMs` at most and at most `maxEntries` of them (the oldest go first; entries past
 * `ttlMs` are dropped as later ones are remembered, so a set holds only recent reads). Exact against
 * a read racing a change: `remember` takes the `ticket` read before the store was asked and
 * keeps nothing when any id was forgotten since, so an answer read before a change can
 * never outlive that change's `forget`.
 */
export class KnownAbsences {
  private readonly since = new Map<number, number>();
  private changes = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Whether a read of `id` found nothing less than `ttlMs` ago, with no `forget` of it since. */
  has(id: number): boolean {
    const at = this.since.get(id);
    if (at === undefined) return false;
    if (this.clock() - at < this.ttlMs) return true;
    this.since.delete(id);
    return false;
  }

  /** Taken before a store read whose empty answer may be remembered. */
  ticket(): number {
    return this.changes;
  }

  /** A read begun at `ticket` found nothing for `id`; kept only when nothing was forgotten since. */
  remember(id: number, ticket: number): void {
    if (ticket !== this.changes) return;
    const now = this.clock();
    this.dropExpired(now);
    if (!this.since.delete(id) && this.since.size >= this.maxEntries) {
      this.since.delete(this.since.keys().next().value!);
    }
    this.since.set(id, now);
  }

  /** Drops the oldest entries while they are past `ttlMs` (entries are kept in the order they were remembered). */
  private dropExpired(now: number): void {
    for (const [id, at] of this.since) {
      if (now - at < this.ttlMs) return;
      this.since.delete(id);
    }
  }

  /** Something may now exist for `id`: the next look-up asks the store. */
  forget(id: number): void {
    this.changes += 1;
    this.since.delete(id);
  }

  /** Anything may have changed (e.g. change notices were lost): every look-up asks the store. */
  clear(): void {
    this.changes += 1;
    this.since.clear();
  }

  /** How many ids are remembered (for specs). */
  get size(): number {
    return this.since.size;
  }
}
