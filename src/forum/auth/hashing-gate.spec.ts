import { describe, expect, it } from 'vitest';
import { TooManyAttemptsException } from './auth-throttle.js';
import { HashingBusyException, HashingGate, KNOWN_DEVICE_SLOTS, KNOWN_DEVICE_STREAK } from './hashing-gate.js';

/** A piece of work that runs until the test finishes it; records when it started. */
function job(log: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    work: async () => {
      log.push(name);
      await done;
      return name;
    },
    finish,
  };
}

/** Lets every settled promise run its continuations. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('HashingGate', () => {
  it('runs at most `concurrency` anonymous hashes, the rest in arrival order, and refuses beyond the queue with 503', async () => {
    const gate = new HashingGate({ concurrency: 1, queue: 2, maxWaitMs: 60_000, perClient: 10 });
    const log: string[] = [];
    const jobs = ['a', 'b', 'c'].map((name) => job(log, name));
    const runs = jobs.map((j, i) => gate.run(j.work, { address: `10.0.0.${i}`, account: `name:${i}` }));
    await expect(gate.run(async () => 'd', { address: '10.0.0.9', account: 'name:9' })).rejects.toBeInstanceOf(
      HashingBusyException,
    );
    await settle();
    expect(log).toEqual(['a']);
    for (const j of jobs) {
      j.finish();
      await settle();
    }
    expect(await Promise.all(runs)).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['a', 'b', 'c']);
  });

  it('lets one address have no more than its share waiting: one more is refused at once with 429', async () => {
    const gate = new HashingGate({ concurrency: 1, queue: 8, maxWaitMs: 60_000, perClient: 2 });
    const log: string[] = [];
    const held = [job(log, 'x1'), job(log, 'x2'), job(log, 'x3')];
    const runs = held.map((j, i) => gate.run(j.work, { address: 'flooder', account: `name:x${i}` }));
    // x1 runs, x2 and x3 wait: the address's share of the queue is spent
    await expect(gate.run(async () => 'x4', { address: 'flooder', account: 'name:x4' })).rejects.toBeInstanceOf(
      TooManyAttemptsException,
    );
    // another address still gets its place in the queue
    const other = job(log, 'y');
    const otherRun = gate.run(other.work, { address: 'someone else', account: 'name:y' });
    for (const j of [...held, other]) {
      j.finish();
      await settle();
    }
    expect(await Promise.all([...runs, otherRun])).toEqual(['x1', 'x2', 'x3', 'y']);
    // the share is given back once the hashes have started
    expect(await gate.run(async () => 'x5', { address: 'flooder', account: 'name:x5' })).toBe('x5');
  });

  it('lets one account have no more than its share waiting, whatever the addresses', async () => {
    const gate = new HashingGate({ concurrency: 1, queue: 8, maxWaitMs: 60_000, perClient: 1 });
    const log: string[] = [];
    const first = job(log, 'first');
    const second = job(log, 'second');
    const runs = [
      gate.run(first.work, { address: 'a', account: 'id:7' }),
      gate.run(second.work, { address: 'b', account: 'id:7' }),
    ];
    await expect(gate.run(async () => 'third', { address: 'c', account: 'id:7' })).rejects.toBeInstanceOf(
      TooManyAttemptsException,
    );
    first.finish();
    await settle();
    second.finish();
    expect(await Promise.all(runs)).toEqual(['first', 'second']);
  });

  it('serves a known device before every waiting anonymous hash, in a slot reserved for known devices', async () => {
    const gate = new HashingGate({ concurrency: 1, queue: 4, maxWaitMs: 60_000, perClient: 4 });
    const log: string[] = [];
    const flood = ['f1', 'f2', 'f3', 'f4', 'f5'].map((name) => job(log, name));
    const floodRuns = flood.map((j, i) => gate.run(j.work, { address: `flood${i}`, account: `name:f${i}` }));
    await settle();
    expect(log).toEqual(['f1']); // the anonymous slot is taken, four wait
    // the queue of anonymous hashes is full, yet a known device starts at once in its reserved slot
    expect(KNOWN_DEVICE_SLOTS).toBe(1);
    const owner = job(log, 'owner');
    const ownerRun = gate.run(owner.work, { address: 'home', account: 'id:1', knownDevice: true });
    await settle();
    expect(log).toEqual(['f1', 'owner']);
    // a second known device waits in its own lane and goes before the waiting flood
    const second = job(log, 'owner2');
    const secondRun = gate.run(second.work, { address: 'office', account: 'id:2', knownDevice: true });
    flood[0].finish();
    await settle();
    expect(log).toEqual(['f1', 'owner', 'owner2']);
    owner.finish();
    await settle();
    // the anonymous slot is free, but no anonymous hash starts while a known device is hashing
    expect(log).toEqual(['f1', 'owner', 'owner2']);
    second.finish();
    await settle();
    expect(await Promise.all([ownerRun, secondRun])).toEqual(['owner', 'owner2']);
    for (const j of flood.slice(1)) {
      j.finish();
      await settle();
    }
    expect(await Promise.all(floodRuns)).toEqual(['f1', 'f2', 'f3', 'f4', 'f5']);
    expect(log).toEqual(['f1', 'owner', 'owner2', 'f2', 'f3', 'f4', 'f5']);
  });

  it('gives a waiting anonymous hash the next regular slot after KNOWN_DEVICE_STREAK known-device starts in a row', async () => {
    const gate = new HashingGate({ concurrency: 1, queue: 8, maxWaitMs: 60_000, perClient: 8 });
    const log: string[] = [];
    const first = job(log, 'a0');
    const firstRun = gate.run(first.work, { address: 'a0', account: 'name:a0' });
    await settle();
    const anonymous = job(log, 'anon');
    const anonymousRun = gate.run(anonymous.work, { address: 'new', account: 'name:new' });
    // known devices keep their lane full: each finishing one is followed by another
    const known = Array.from({ length: KNOWN_DEVICE_STREAK + 2 }, (_, i) => job(log, `k${i}`));
    const knownRuns = known.map((j, i) =>
      gate.run(j.work, { address: `k${i}`, account: `id:${i}`, knownDevice: true }),
    );
    await settle();
    first.finish();
    for (const j of known.slice(0, KNOWN_DEVICE_STREAK)) {
      await settle();
      j.finish();
    }
    await settle();
    // after the streak the freed regular slot went to the anonymous hash, not to the next known device
    expect(log.slice(0, KNOWN_DEVICE_STREAK + 2)).toEqual([
      'a0',
      ...known.slice(0, KNOWN_DEVICE_STREAK).map((_, i) => `k${i}`),
      'anon',
    ]);
    anonymous.finish();
    for (const j of known.slice(KNOWN_DEVICE_STREAK)) {
      await settle();
      j.finish();
    }
    expect(await Promise.all([firstRun, anonymousRun, ...knownRuns])).toHaveLength(known.length + 2);
  });

  it('refuses a hash that waited longer than maxWaitMs with 503 and gives its share back', async () => {
    const gate = new HashingGate({ concurrency: 1, queue: 4, maxWaitMs: 1, perClient: 1 });
    const log: string[] = [];
    const slow = job(log, 'slow');
    const run = gate.run(slow.work, { address: 'a', account: 'name:a' });
    await expect(gate.run(async () => 'late', { address: 'b', account: 'name:b' })).rejects.toBeInstanceOf(
      HashingBusyException,
    );
    slow.finish();
    await run;
    expect(await gate.run(async () => 'again', { address: 'b', account: 'name:b' })).toBe('again');
  });
});
