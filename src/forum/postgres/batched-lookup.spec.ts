import { describe, expect, it } from 'vitest';
import { BatchedLookup, LOOKUP_BATCH_LIMIT } from './batched-lookup.js';

/** A look-up over `table` that records the keys of each query it makes. */
function recording(table: Map<number, string>) {
  const queries: number[][] = [];
  const lookup = new BatchedLookup<number, string>(async (keys) => {
    queries.push(keys);
    // what the table held when the query was sent, answered a few ms later
    const answer = new Map(keys.filter((key) => table.has(key)).map((key) => [key, table.get(key)!]));
    await new Promise((resolve) => setTimeout(resolve, 5));
    return answer;
  });
  return { lookup, queries };
}

describe('BatchedLookup', () => {
  it('answers the look-ups of one turn with one query of their distinct keys', async () => {
    const { lookup, queries } = recording(
      new Map([
        [1, 'a'],
        [2, 'b'],
      ]),
    );
    expect(await Promise.all([lookup.get(1), lookup.get(2), lookup.get(1), lookup.get(3)])).toEqual([
      'a',
      'b',
      'a',
      undefined,
    ]);
    expect(queries).toEqual([[1, 2, 3]]);
  });

  it('gathers the look-ups made while a query is on its way into the next one, which sees later changes', async () => {
    const table = new Map([[1, 'old']]);
    const { lookup, queries } = recording(table);
    const first = lookup.get(1);
    await new Promise((resolve) => setTimeout(resolve, 1)); // the first query is on its way
    table.set(1, 'new');
    const later = [lookup.get(1), lookup.get(2)];
    expect(await first).toBe('old');
    expect(await Promise.all(later)).toEqual(['new', undefined]);
    expect(queries).toEqual([[1], [1, 2]]);
  });

  it('splits more distinct keys than one query carries', async () => {
    const keys = Array.from({ length: LOOKUP_BATCH_LIMIT + 3 }, (_, i) => i);
    const { lookup, queries } = recording(new Map(keys.map((key) => [key, `v${key}`])));
    expect(await Promise.all(keys.map((key) => lookup.get(key)))).toEqual(keys.map((key) => `v${key}`));
    expect(queries.map((query) => query.length)).toEqual([LOOKUP_BATCH_LIMIT, 3]);
  });

  it('rejects each look-up of a failed query, and the next look-ups query again', async () => {
    let fail = true;
    const lookup = new BatchedLookup<number, string>(async (keys) => {
      if (fail) throw new Error('database gone');
      return new Map(keys.map((key) => [key, 'ok']));
    });
    const failed = await Promise.allSettled([lookup.get(1), lookup.get(2)]);
    expect(failed.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await lookup.get(1)).toBe('ok');
  });
});
