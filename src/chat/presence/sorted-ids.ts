/**
 * A set of integer ids kept in ascending order, for paging by id: `add` and `delete` cost
 * a binary search and one move of the tail (fast for tens of thousands of ids), `after`
 * costs a binary search and the page.
 */
export class SortedIds {
  private readonly ids: number[] = [];

  get size(): number {
    return this.ids.length;
  }

  add(id: number): void {
    const at = this.lowerBound(id);
    if (this.ids[at] !== id) this.ids.splice(at, 0, id);
  }

  delete(id: number): void {
    const at = this.lowerBound(id);
    if (this.ids[at] === id) this.ids.splice(at, 1);
  }

  /** Up to `limit` ids greater than `after`, ascending, and whether more follow. */
  after(after: number, limit: number): { ids: number[]; hasMore: boolean } {
    const from = this.lowerBound(after + 1);
    return { ids: this.ids.slice(from, from + limit), hasMore: from + limit < this.ids.length };
  }

  /** Index of the first id ≥ `id`. */
  private lowerBound(id: number): number {
    let low = 0;
    let high = this.ids.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.ids[mid] < id) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
