import { Outbox } from './outbox.js';

describe('Outbox', () => {
  it('keeps entries in send order until each is taken', () => {
    const box = new Outbox<string>();
    box.add('a', 'first');
    box.add('b', 'second');
    box.add('c', 'third');
    expect(box.take('b')).toBe('second');
    expect(box.entries()).toEqual([
      ['a', 'first'],
      ['c', 'third'],
    ]);
    expect(box.take('b')).toBeUndefined();
    expect(box.size).toBe(2);
  });

  it('refuses a duplicate client_id', () => {
    const box = new Outbox<number>();
    box.add('x', 1);
    expect(() => box.add('x', 2)).toThrow(/duplicate/);
  });

  it('entries() is a snapshot: taking while iterating is safe', () => {
    const box = new Outbox<number>();
    box.add('a', 1);
    box.add('b', 2);
    const seen: string[] = [];
    for (const [id] of box.entries()) {
      seen.push(id);
      box.take(id);
    }
    expect(seen).toEqual(['a', 'b']);
    expect(box.size).toBe(0);
  });

  it('clear() returns everything, oldest first, and empties it', () => {
    const box = new Outbox<number>();
    box.add('a', 1);
    box.add('b', 2);
    expect(box.clear()).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(box.has('a')).toBe(false);
  });
});
