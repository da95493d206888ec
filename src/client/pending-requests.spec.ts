import { PendingRequests } from './pending-requests.js';

describe('PendingRequests', () => {
  it('answers waiters of one key first-in first-out, independently of other keys', async () => {
    const q = new PendingRequests<string>();
    const a1 = q.add('a');
    const b1 = q.add('b');
    const a2 = q.add('a');
    expect(q.resolve('a', 'A1')).toBe(true);
    expect(q.resolve('b', 'B1')).toBe(true);
    expect(q.resolve('a', 'A2')).toBe(true);
    expect(q.resolve('a', 'A3')).toBe(false);
    await expect(Promise.all([a1, b1, a2])).resolves.toEqual(['A1', 'B1', 'A2']);
  });

  it('rejectOldest rejects the earliest waiter of any key', async () => {
    const q = new PendingRequests<string>();
    const first = q.add('b');
    const second = q.add('a');
    q.rejectOldest(new Error('refused'));
    await expect(first).rejects.toThrow('refused');
    q.resolve('a', 'ok');
    await expect(second).resolves.toBe('ok');
  });

  it('rejectAll settles every waiter', async () => {
    const q = new PendingRequests<number>();
    const all = [q.add('x'), q.add('y')];
    q.rejectAll(new Error('gone'));
    for (const p of all) await expect(p).rejects.toThrow('gone');
    expect(q.size).toBe(0);
  });
});
