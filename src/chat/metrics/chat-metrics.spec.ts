import { afterEach, describe, expect, it, vi } from 'vitest';
import { FanoutUnavailableError } from '../fanout/fanout.bus.js';
import { RedisFanoutBus } from '../fanout/redis-fanout.bus.js';
import { InMemoryFanoutBus } from '../fanout/in-memory-fanout.bus.js';
import { SqliteMessageStore } from '../history/sqlite-message.store.js';
import { ChatMetrics } from './chat-metrics.js';
import { closeCodeLabel } from './close-code-label.js';
import { MeteredFanoutBus } from './metered-fanout.bus.js';
import { MeteredMessageStore } from './metered-message.store.js';

async function sample(
  metrics: ChatMetrics,
  name: string,
  labels: Record<string, string> = {},
): Promise<number | undefined> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find(
    (m) => m.name === name || name.startsWith(`${m.name}_`),
  );
  const values = (metric?.values ?? []) as Array<{
    value: number;
    labels: Record<string, unknown>;
    metricName?: string;
  }>;
  const wanted = Object.entries(labels);
  return values.find(
    (v) => (v.metricName ?? name) === name && wanted.every(([k, want]) => String(v.labels[k]) === want),
  )?.value;
}

describe('ChatMetrics', () => {
  it('lives on its own registry: two instances in one process count independently', async () => {
    const [one, two] = [new ChatMetrics(), new ChatMetrics()];
    one.frameIn('join');
    expect(await sample(one, 'chat_frames_in_total', { type: 'join' })).toBe(1);
    expect(await sample(two, 'chat_frames_in_total', { type: 'join' })).toBe(0);
  });

  it("holds only the chat's series: the process's default metrics are the host's choice", async () => {
    const names = (await new ChatMetrics().registry.getMetricsAsJSON()).map((metric) => metric.name);
    expect(names.filter((name) => !name.startsWith('chat_'))).toEqual([]);
  });

  it('counts a delivery once per envelope, with the number of sockets it was queued on', async () => {
    const metrics = new ChatMetrics();
    metrics.delivered({ kind: 'everyone', frame: JSON.stringify({ type: 'user_joined', user_id: 1 }) }, 5);
    metrics.delivered({ kind: 'users', userIds: [1, 2], frame: JSON.stringify({ type: 'typing', user_id: 1 }) }, 0);
    metrics.delivered({ kind: 'end_sessions', sessionKeys: ['k'] }, 0);
    expect(await sample(metrics, 'chat_frames_out_total', { type: 'user_joined' })).toBe(5);
    expect(await sample(metrics, 'chat_frames_out_total', { type: 'typing' })).toBe(0);
    expect(await sample(metrics, 'chat_broadcasts_total', { kind: 'everyone' })).toBe(1);
    expect(await sample(metrics, 'chat_broadcasts_total', { kind: 'users' })).toBe(1);
    expect(await sample(metrics, 'chat_broadcasts_total', { kind: 'end_sessions' })).toBe(1);
  });

  it('counts error frames both as frames out and by code', async () => {
    const metrics = new ChatMetrics();
    metrics.frameQueued({ type: 'error', code: 'not_found', message: 'no such user', ref: 'typing' });
    expect(await sample(metrics, 'chat_frames_out_total', { type: 'error' })).toBe(1);
    expect(await sample(metrics, 'chat_errors_total', { code: 'not_found' })).toBe(1);
    expect(await sample(metrics, 'chat_errors_total', { code: 'internal' })).toBe(0);
  });

  it('reads refusals, slow consumers and bus outages from their owners at scrape time, new reasons included', async () => {
    const metrics = new ChatMetrics();
    const refusals: Record<string, number> = { origin: 2 };
    let slow = 0;
    let outages = 0;
    metrics.readFrom({ refusals: () => refusals, slowConsumers: () => slow, fanoutOutages: () => outages });
    refusals.connection_limit = 1;
    slow = 3;
    outages = 2;
    expect(await sample(metrics, 'chat_handshakes_refused_total', { reason: 'origin' })).toBe(2);
    expect(await sample(metrics, 'chat_handshakes_refused_total', { reason: 'connection_limit' })).toBe(1);
    expect(await sample(metrics, 'chat_slow_consumers_total')).toBe(3);
    expect(await sample(metrics, 'chat_fanout_outages_total')).toBe(2);
  });
});

describe('closeCodeLabel', () => {
  it('keeps the contract and standard codes and folds client-chosen ones into "other"', () => {
    expect([4401, 1013, 1001, 1005, 1006, 1000].map(closeCodeLabel)).toEqual([
      '4401',
      '1013',
      '1001',
      '1005',
      '1006',
      '1000',
    ]);
    expect([4000, 3999, 4402].map(closeCodeLabel)).toEqual(['other', 'other', 'other']);
  });
});

describe('MeteredFanoutBus', () => {
  it('counts and rethrows a publish the bus rejects, and counts nothing for one it takes', async () => {
    const metrics = new ChatMetrics();
    const inner = new InMemoryFanoutBus();
    const bus = new MeteredFanoutBus(inner, metrics);
    await bus.publish({ kind: 'everyone', frame: '{"type":"typing"}' });
    expect(await sample(metrics, 'chat_fanout_publish_failures_total')).toBe(0);
    expect(bus.isHealthy()).toBe(true);
    // a Redis bus with nothing listening where it points refuses every publish
    const refusing = new RedisFanoutBus({ url: 'redis://127.0.0.1:1', keyPrefix: 'metered:', nodeId: 'n1' });
    try {
      const meteredRefusing = new MeteredFanoutBus(refusing, metrics);
      await expect(meteredRefusing.publish({ kind: 'everyone', frame: '{"type":"typing"}' })).rejects.toBeInstanceOf(
        FanoutUnavailableError,
      );
      expect(await sample(metrics, 'chat_fanout_publish_failures_total')).toBe(1);
    } finally {
      await refusing.close();
    }
  });
});

describe('MeteredMessageStore', () => {
  it('times each store call by operation and returns what the store returns', async () => {
    const metrics = new ChatMetrics();
    const store = new MeteredMessageStore(SqliteMessageStore.open(':memory:'), metrics);
    const { message } = await store.append({
      senderId: 1,
      senderNickname: 'a',
      recipientId: null,
      content: 'x',
      createdAt: 1,
      clientId: null,
    });
    expect((await store.history({ viewerId: 1, withUserId: null, limit: 10 })).messages).toEqual([message]);
    expect(await store.ping()).toBe(true);
    await store.close();
    await expect(store.ping()).rejects.toThrow();
    expect(await sample(metrics, 'chat_store_duration_seconds_count', { operation: 'append' })).toBe(1);
    expect(await sample(metrics, 'chat_store_duration_seconds_count', { operation: 'history' })).toBe(1);
    expect(await sample(metrics, 'chat_store_duration_seconds_count', { operation: 'ping' })).toBe(2);
  });

  it('times an append without the publish its onStored hook runs; the bus times the publish', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const metrics = new ChatMetrics();
    const slowBus: InMemoryFanoutBus = Object.assign(new InMemoryFanoutBus(), {
      publish: async () => {
        vi.advanceTimersByTime(1_000); // the publish takes one second of the fake clock
      },
    });
    const bus = new MeteredFanoutBus(slowBus, metrics);
    const store = new MeteredMessageStore(SqliteMessageStore.open(':memory:'), metrics);
    const message = { senderId: 1, senderNickname: 'a', recipientId: null, content: 'x', createdAt: 1, clientId: null };
    await store.append(message, () => bus.publish({ kind: 'everyone', frame: '{"type":"chat_message"}' }));
    await store.close();
    expect(await sample(metrics, 'chat_fanout_publish_duration_seconds_sum', { kind: 'everyone' })).toBe(1);
    expect(await sample(metrics, 'chat_store_duration_seconds_sum', { operation: 'append' })).toBe(0);
  });
});

afterEach(() => {
  vi.useRealTimers();
});
