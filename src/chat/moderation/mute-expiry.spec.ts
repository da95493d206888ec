import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InMemoryModerationStore } from '../../testing/in-memory-moderation.store.js';
import { InMemoryFanoutBus } from '../fanout/in-memory-fanout.bus.js';
import type { FanoutEnvelope } from '../fanout/fanout.bus.js';
import type { Mute } from './moderation.store.js';
import { MUTE_SWEEP_MS, MuteExpiry } from './mute-expiry.js';
import { MuteNotices } from './mute-notices.js';

const START = 1_700_000_000_000;

describe('MuteExpiry', () => {
  let store: InMemoryModerationStore;
  let notices: string[];
  let instances: MuteExpiry[];

  /** An instance's expiry watcher over the shared store and bus, started as the app starts it. */
  const startInstance = (bus: InMemoryFanoutBus) => {
    const expiry = new MuteExpiry(store, new MuteNotices(bus));
    expiry.onApplicationBootstrap();
    instances.push(expiry);
    return expiry;
  };
  const newBus = () => {
    const bus = new InMemoryFanoutBus();
    bus.subscribe((envelope: FanoutEnvelope) => {
      if (envelope.kind === 'users') notices.push(`${envelope.userIds.join()} ${envelope.frame}`);
    });
    return bus;
  };
  const mute = (room: string, userId: number, durationMs: number | null): Mute => ({
    room,
    userId,
    until: durationMs === null ? null : Date.now() + durationMs,
    mutedBy: 1,
    createdAt: Date.now(),
  });
  const unmuted = (room: string, userId: number) =>
    `${userId} ${JSON.stringify({ type: 'unmuted', room, user_id: userId })}`;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: START });
    store = new InMemoryModerationStore();
    notices = [];
    instances = [];
  });
  afterEach(async () => {
    await Promise.all(instances.map((expiry) => expiry.onModuleDestroy()));
    vi.useRealTimers();
  });

  it('announces a mute stored on this instance at its end, not before', async () => {
    const expiry = startInstance(newBus());
    const timed = mute('lobby', 2, 1_500);
    await store.mute(timed);
    expiry.expectEndAt(timed.until!);
    await vi.advanceTimersByTimeAsync(1_499);
    expect(notices).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(notices).toEqual([unmuted('lobby', 2)]);
    expect(await store.mutes(Date.now())).toEqual([]);
  });

  it('announces a mute stored elsewhere within the sweep period, once across instances', async () => {
    const bus = newBus();
    startInstance(bus);
    startInstance(bus);
    await vi.advanceTimersByTimeAsync(0);
    await store.mute(mute('dev', 3, 200));
    await vi.advanceTimersByTimeAsync(MUTE_SWEEP_MS);
    expect(notices).toEqual([unmuted('dev', 3)]);
    await vi.advanceTimersByTimeAsync(3 * MUTE_SWEEP_MS);
    expect(notices).toHaveLength(1);
  });

  it('announces at start the mutes that ended while no instance ran, and keeps the next end', async () => {
    await store.mute(mute('lobby', 4, 100));
    await store.mute(mute('lobby', 5, 60_000));
    vi.setSystemTime(START + 1_000);
    startInstance(newBus());
    await vi.advanceTimersByTimeAsync(0);
    expect(notices).toEqual([unmuted('lobby', 4)]);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(notices).toEqual([unmuted('lobby', 4), unmuted('lobby', 5)]);
  });

  it('says nothing for a mute lifted before its end, or replaced by a longer one', async () => {
    const expiry = startInstance(newBus());
    const lifted = mute('lobby', 6, 1_000);
    const replaced = mute('lobby', 7, 1_000);
    for (const timed of [lifted, replaced]) {
      await store.mute(timed);
      expiry.expectEndAt(timed.until!);
    }
    expect(await store.unmute('lobby', 6, Date.now())).toBe(true);
    await store.mute(mute('lobby', 7, 30_000));
    await vi.advanceTimersByTimeAsync(29_999);
    expect(notices).toEqual([]);
    await vi.advanceTimersByTimeAsync(MUTE_SWEEP_MS);
    expect(notices).toEqual([unmuted('lobby', 7)]);
  });

  it('announces the other ended mutes of a batch when reading one of them fails (a database blip)', async () => {
    const muteOf = store.muteOf.bind(store);
    let failures = 0;
    store.muteOf = async (room, userId, now) => {
      if (userId === 3 && failures++ === 0) throw new Error('connection reset');
      return muteOf(room, userId, now);
    };
    const expiry = startInstance(newBus());
    for (const userId of [2, 3, 4]) await store.mute(mute('lobby', userId, 1_000));
    expiry.expectEndAt(Date.now() + 1_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(notices.sort()).toEqual([unmuted('lobby', 2), unmuted('lobby', 4)].sort());
    expect(await store.mutes(Date.now())).toEqual([]);
  });

  it('stops sweeping when the module is destroyed', async () => {
    const expiry = startInstance(newBus());
    await expiry.onModuleDestroy();
    await store.mute(mute('lobby', 8, 100));
    expiry.expectEndAt(Date.now() + 100);
    await vi.advanceTimersByTimeAsync(2 * MUTE_SWEEP_MS);
    expect(notices).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});
