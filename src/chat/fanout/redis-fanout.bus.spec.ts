import { describe, expect, it } from 'vitest';
import { FanoutEnvelope, FanoutUnavailableError } from './fanout.bus.js';
import { RedisFanoutBus } from './redis-fanout.bus.js';

describe('RedisFanoutBus while Redis is unreachable', () => {
  it('rejects publish at once with FanoutUnavailableError, counts it, and still delivers on this node', async () => {
    // nothing listens on port 1: the bus starts degraded after its start timeout would pass, so build it directly
    const bus = new RedisFanoutBus({ url: 'redis://127.0.0.1:1', keyPrefix: 'unreachable:', nodeId: 'n1' });
    const received: FanoutEnvelope[] = [];
    bus.subscribe((envelope) => received.push(envelope));
    try {
      const envelope: FanoutEnvelope = { kind: 'everyone', frame: '{"type":"typing"}' };
      const started = Date.now();
      await expect(bus.publish(envelope)).rejects.toBeInstanceOf(FanoutUnavailableError);
      await expect(bus.publish(envelope)).rejects.toBeInstanceOf(FanoutUnavailableError);
      expect(Date.now() - started).toBeLessThan(100);
      expect(received).toEqual([envelope, envelope]);
      expect(bus.counters.fanoutPublishFailures).toBe(2);
      expect(bus.isHealthy()).toBe(false);
    } finally {
      await bus.close();
    }
  });
});
