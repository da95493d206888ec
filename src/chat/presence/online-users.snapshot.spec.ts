import { describe, expect, it } from 'vitest';
import { InMemoryFanoutBus } from '../fanout/in-memory-fanout.bus.js';
import { InMemoryPresenceStore } from './in-memory-presence.store.js';
import { OnlineUsersSnapshot } from './online-users.snapshot.js';
import { PresenceService } from './presence.service.js';

function setup() {
  const bus = new InMemoryFanoutBus();
  const presence = new PresenceService(new InMemoryPresenceStore(), bus);
  presence.onModuleInit();
  const snapshot = new OnlineUsersSnapshot(bus, presence);
  snapshot.onModuleInit();
  return { presence, snapshot };
}

describe('OnlineUsersSnapshot', () => {
  it('hands out one shared frame until presence changes', async () => {
    const { presence, snapshot } = setup();
    await presence.attach({ id: 1, nickname: 'ada' });
    const first = await snapshot.frame();
    expect(await snapshot.frame()).toBe(first);
    await presence.attach({ id: 1, nickname: 'ada' }); // a second tab: no change, same snapshot
    expect(await snapshot.frame()).toBe(first);
    await presence.attach({ id: 2, nickname: 'bob' });
    const second = await snapshot.frame();
    expect(second).not.toBe(first);
    expect(second.users.map((u) => u.id)).toEqual([1, 2]);
    await presence.detach({ id: 2, nickname: 'bob' });
    expect((await snapshot.frame()).users.map((u) => u.id)).toEqual([1]);
  });

  it('does not keep a read that overlapped a presence change', async () => {
    const { presence, snapshot } = setup();
    const reading = snapshot.frame(); // starts before bob arrives
    await presence.attach({ id: 2, nickname: 'bob' });
    await reading;
    expect((await snapshot.frame()).users.map((u) => u.id)).toEqual([2]);
  });
});
