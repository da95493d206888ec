import { expect, it } from 'vitest';
import type { FanoutBus, FanoutEnvelope } from '../../src/chat/fanout/fanout.bus.js';
import { InMemoryFanoutBus } from '../../src/chat/fanout/in-memory-fanout.bus.js';
import { RedisFanoutBus } from '../../src/chat/fanout/redis-fanout.bus.js';
import { ALWAYS, describeWithServices, requireServices, TEST_REDIS_URL } from '../support/services.js';
import { openForEachTest, twoRedisNodes } from '../support/contract-subjects.js';

const services = await requireServices('redis');

/** Two nodes on one bus (one object for the in-process bus). */
interface BusSubject {
  name: string;
  open(): Promise<{ node1: FanoutBus; node2: FanoutBus; cleanup(): Promise<void> }>;
}

const inMemory: BusSubject = {
  name: 'InMemoryFanoutBus',
  open: async () => {
    const bus = new InMemoryFanoutBus();
    return { node1: bus, node2: bus, cleanup: () => bus.close() };
  },
};

const redis: BusSubject = {
  name: 'RedisFanoutBus',
  open: () => twoRedisNodes((keyPrefix, nodeId) => RedisFanoutBus.open({ url: TEST_REDIS_URL, keyPrefix, nodeId })),
};

function collector(bus: FanoutBus): { got: FanoutEnvelope[]; until(count: number): Promise<void> } {
  const got: FanoutEnvelope[] = [];
  let wake = () => undefined as void;
  bus.subscribe((envelope) => {
    got.push(envelope);
    wake();
  });
  return {
    got,
    until: (count) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`got ${got.length} of ${count} envelopes`)), 5_000);
        const check = () => {
          if (got.length < count) return;
          clearTimeout(timer);
          resolve();
        };
        wake = check;
        check();
      }),
  };
}

for (const subject of [inMemory, redis])
  describeWithServices(subject === redis ? services : ALWAYS, `FanoutBus contract: ${subject.name}`, () => {
    let node1: FanoutBus;
    let node2: FanoutBus;
    openForEachTest(subject.open, (opened) => ({ node1, node2 } = opened));

    it('hands every envelope, of every kind, to every node, the publisher included, once', async () => {
      const at1 = collector(node1);
      const at2 = collector(node2);
      const envelopes: FanoutEnvelope[] = [
        { kind: 'everyone', frame: '{"type":"chat_message","content":"a\\nb"}' },
        { kind: 'users', userIds: [4, 5], frame: '{"type":"typing"}' },
        { kind: 'end_sessions', sessionKeys: ['k1', 'k2'] },
      ];
      for (const envelope of envelopes) await node1.publish(envelope);
      await Promise.all([at1.until(3), at2.until(3)]);
      expect(at1.got).toEqual(envelopes);
      expect(at2.got).toEqual(envelopes);
      expect(node1.isHealthy?.() ?? true).toBe(true);
    });

    it('gives every node the same order, the order in which publishes were accepted', async () => {
      const at1 = collector(node1);
      const at2 = collector(node2);
      const publishes: Promise<void>[] = [];
      for (let i = 0; i < 50; i++)
        publishes.push((i % 3 ? node1 : node2).publish({ kind: 'everyone', frame: String(i) }));
      await Promise.all(publishes);
      await Promise.all([at1.until(50), at2.until(50)]);
      expect(at2.got).toEqual(at1.got);
      // one after the other (each publish awaited): that order everywhere
      const sequential: string[] = [];
      for (let i = 0; i < 10; i++) {
        const frame = `s${i}`;
        sequential.push(frame);
        await (i % 2 ? node1 : node2).publish({ kind: 'everyone', frame });
      }
      await Promise.all([at1.until(60), at2.until(60)]);
      const tail = (got: FanoutEnvelope[]) => got.slice(50).map((e) => (e.kind === 'everyone' ? e.frame : ''));
      expect(tail(at1.got)).toEqual(sequential);
      expect(tail(at2.got)).toEqual(sequential);
    });

    it('isolates subscribers alike: one that throws neither fails the publish nor keeps the others from it', async () => {
      node1.subscribe(() => {
        throw new Error('a broken subscriber');
      });
      const after = collector(node1);
      const elsewhere = collector(node2);
      const envelope: FanoutEnvelope = { kind: 'everyone', frame: 'still delivered' };
      await expect(node1.publish(envelope)).resolves.toBeUndefined();
      await Promise.all([after.until(1), elsewhere.until(1)]);
      expect(after.got).toEqual([envelope]);
    });
  });
