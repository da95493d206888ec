import { SeenMessages } from './seen-messages.js';

describe('SeenMessages', () => {
  it('reports each id once and tracks the greatest', () => {
    const seen = new SeenMessages();
    expect(seen.highest).toBe(0);
    expect(seen.add(5)).toBe(true);
    expect(seen.add(3)).toBe(true);
    expect(seen.add(5)).toBe(false);
    expect(seen.add(3)).toBe(false);
    expect(seen.highest).toBe(5);
  });

  it('observe raises the greatest id without hiding a later live copy', () => {
    const seen = new SeenMessages();
    seen.observe(42);
    expect(seen.highest).toBe(42);
    expect(seen.has(42)).toBe(false);
    expect(seen.add(42)).toBe(true);
    seen.observe(7);
    expect(seen.highest).toBe(42);
  });

  it('forgets the oldest ids past its capacity but keeps the greatest id', () => {
    const seen = new SeenMessages(3);
    for (const id of [1, 2, 3, 4]) seen.add(id);
    expect(seen.size).toBe(3);
    expect(seen.has(1)).toBe(false);
    expect(seen.has(4)).toBe(true);
    expect(seen.add(4)).toBe(false);
    expect(seen.highest).toBe(4);
  });

  it('rejects a capacity below 1', () => {
    expect(() => new SeenMessages(0)).toThrow(RangeError);
  });
});
