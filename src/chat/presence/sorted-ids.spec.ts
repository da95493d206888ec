import { describe, expect, it } from 'vitest';
import { SortedIds } from './sorted-ids.js';

describe('SortedIds', () => {
  it('keeps ids unique and ascending, and pages after an id', () => {
    const ids = new SortedIds();
    for (const id of [5, 1, 9, 3, 5, 7]) ids.add(id);
    ids.delete(9);
    ids.delete(4); // absent: nothing happens
    expect(ids.size).toBe(4);
    expect(ids.after(0, 10)).toEqual({ ids: [1, 3, 5, 7], hasMore: false });
    expect(ids.after(0, 2)).toEqual({ ids: [1, 3], hasMore: true });
    expect(ids.after(3, 2)).toEqual({ ids: [5, 7], hasMore: false });
    expect(ids.after(4, 1)).toEqual({ ids: [5], hasMore: true });
    expect(ids.after(7, 5)).toEqual({ ids: [], hasMore: false });
  });
});
