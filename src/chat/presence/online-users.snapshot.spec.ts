import { describe, expect, it } from 'vitest';
import { InMemoryFanoutBus } from '../fanout/in-memory-fanout.bus.js';
import type { ChatModuleOptions } from '../chat.options.js';
import { jsonOf } from '../protocol/preset-json.js';
import { resolveChatOptions } from '../resolve-chat-options.js';
import { InMemoryPresenceStore } from './in-memory-presence.store.js';
import { OnlineRoster } from './online-roster.js';
import { OnlineUsersSnapshot } from './online-users.snapshot.js';
import { PresenceService } from './presence.service.js';

const options = resolveChatOptions({
  userDirectory: { findById: async () => null, list: async () => [] },
  databaseUrl: 'sqlite::memory:',
} as ChatModuleOptions);

async function setup() {
  const bus = new InMemoryFanoutBus();
  const presence = new PresenceService(new InMemoryPresenceStore(), bus);
  presence.onModuleInit();
  const roster = new OnlineRoster(bus, presence);
  roster.onModuleInit();
  await roster.reload();
  const snapshot = new OnlineUsersSnapshot(options, roster);
  snapshot.onModuleInit();
  return { presence, roster, snapshot };
}

const user = (id: number) => ({ id, nickname: `user "${id}"\u2028` });

describe('OnlineUsersSnapshot first page', () => {
  it('is always what a fresh serialization gives, through joins and leaves below, inside and above the page', async () => {
    const { presence, roster, snapshot } = await setup();
    const check = (limit: number) => {
      const frame = snapshot.page(0, limit);
      const { users, hasMore } = roster.page(0, limit);
      expect(frame).toEqual({ type: 'online_page', users, count: roster.count, has_more: hasMore });
      expect(jsonOf(frame)).toBe(JSON.stringify(frame));
    };
    const steps: Array<[boolean, number]> = [
      [true, 10],
      [true, 20],
      [true, 5],
      [true, 30],
      [true, 40],
      [true, 25],
      [false, 40],
      [true, 1],
      [false, 5],
      [false, 1],
      [true, 50],
      [false, 10],
      [false, 20],
      [false, 25],
      [false, 30],
      [false, 50],
    ];
    for (const limit of [3, 100]) {
      // the page cached before each change is of this size: the change is applied to it
      check(limit);
      for (const [online, id] of steps) {
        await (online ? presence.attach(user(id)) : presence.detach(user(id)));
        check(limit);
        check(limit);
      }
    }
    check(3);
    for (const [online, id] of steps) {
      await (online ? presence.attach(user(id)) : presence.detach(user(id)));
      check(3);
      check(3);
      check(100);
      check(3);
    }
    expect(roster.count).toBe(0);
    roster.onModuleDestroy();
  });

  it('shares the listed users between connections while only the count changes', async () => {
    const { presence, snapshot } = await setup();
    for (const id of [1, 2, 3]) await presence.attach(user(id));
    const before = snapshot.page(0, 2);
    await presence.attach(user(9));
    const after = snapshot.page(0, 2);
    expect(after.users).toBe(before.users);
    expect([before.count, after.count]).toEqual([3, 4]);
  });
});
