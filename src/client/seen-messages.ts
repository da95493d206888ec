/**
 * The message ids a client has already handed to its user, so a message that arrives
 * twice (live and again in a `resume` replay) is reported once, plus the greatest id
 * seen, which is where the next `resume` starts.
 *
 * Memory is bounded: past `capacity` ids the oldest remembered ones are forgotten.
 * That is safe because `resume` only replays ids greater than `highest`, so an
 * old id can only come back through `history`, which is not deduplicated.
 */
export class SeenMessages {
  private readonly ids = new Set<number>();
  private max = 0;

  constructor(private readonly capacity = 10_000) {
    if (!(capacity >= 1)) throw new RangeError('capacity must be >= 1');
  }

  /** The greatest id recorded by `add` or `observe`; 0 when none. */
  get highest(): number {
    return this.max;
  }

  /** How many ids are remembered for deduplication (at most `capacity`). */
  get size(): number {
    return this.ids.size;
  }

  /** Records `id`. True the first time an id is added, false for a duplicate. */
  add(id: number): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next().value as number;
      this.ids.delete(oldest);
    }
    this.observe(id);
    return true;
  }

  /** True when `id` was added and is still remembered. */
  has(id: number): boolean {
    return this.ids.has(id);
  }

  /**
   * Raises `highest` to `id` without marking it as delivered (for messages the user
   * fetched with `history`, which they have seen but which must not hide a live copy).
   */
  observe(id: number): void {
    if (id > this.max) this.max = id;
  }
}
