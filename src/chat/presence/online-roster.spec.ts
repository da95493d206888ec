import { describe, expect, it } from 'vitest';
import { InMemoryFanoutBus } from '../fanout/in-memory-fanout.bus.js';
import type { FanoutBus, FanoutHandler } from '../fanout/fanout.bus.js';
import { InMemoryPresenceStore } from './in-memory-presence.store.js';
import { OnlineRoster, type RosterChange } from './online-roster.js';
import { PresenceService } from './presence.service.js';

const ada = { id: 1, nickname: 'ada' };
const bob = { id: 2, nickname: 'bob' };
const cy = { id: 3, nickname: 'cy' };

function setup(bus: FanoutBus = new InMemoryFanoutBus(), store = new InMemoryPresenceStore()) {
  const presence = new PresenceService(store, bus);
  presence.onModuleInit();
  const roster = new OnlineRoster(bus, presence);
  const changes: string[] = [];
  roster.onChange((c: RosterChange) => changes.push(`${c.online ? '+' : '-'}${c.user.id}`));
  return { presence, roster, changes, store, bus };
}

describe('OnlineRoster', () => {
  it('follows the presence changes on the bus, once per change, and pages by id', async () => {
    const { presence, roster, changes } = setup();
    roster.onModuleInit();
    await roster.reload();
    await Promise.all([presence.attach(cy), presence.attach(ada), presence.attach(bob), presence.attach(ada)]);
    await presence.detach(bob);
    expect(changes).toEqual(['+3', '+1', '+2', '-2']);
    expect(roster.count).toBe(2);
    expect(roster.page(0, 1)).toEqual({ users: [ada], hasMore: true });
    expect(roster.page(1, 5)).toEqual({ users: [cy], hasMore: false });
    roster.onModuleDestroy();
  });

  it('loads who was online before it started', async () => {
    const first = setup();
    await first.presence.attach(ada);
    const { roster, changes } = setup(first.bus, first.store);
    roster.onModuleInit();
    await roster.reload();
    expect(changes).toEqual(['+1']);
    expect(roster.has(1)).toBe(true);
    roster.onModuleDestroy();
  });

  it('a change that arrives while the list loads wins over the loaded list', async () => {
    const handlers: FanoutHandler[] = [];
    const bus: FanoutBus = {
      publish: async () => undefined,
      subscribe: (handler) => (handlers.push(handler), () => undefined),
      close: async () => undefined,
    };
    const store = new InMemoryPresenceStore();
    await store.add(ada); // the store says ada is online…
    const { roster } = setup(bus, store);
    roster.onModuleInit();
    const loading = roster.reload();
    // …but before the list arrives, the bus reports that she left
    const left = { type: 'user_left', user_id: 1, nickname: 'ada', timestamp: new Date().toISOString() };
    for (const handler of handlers) handler({ kind: 'everyone', frame: JSON.stringify(left) });
    await loading;
    expect(roster.has(1)).toBe(false);
    roster.onModuleDestroy();
  });
});
