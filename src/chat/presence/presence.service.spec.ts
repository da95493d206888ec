import { describe, expect, it } from 'vitest';
import { InMemoryFanoutBus } from '../fanout/in-memory-fanout.bus.js';
import type { FanoutEnvelope } from '../fanout/fanout.bus.js';
import { InMemoryPresenceStore } from './in-memory-presence.store.js';
import { PresenceService } from './presence.service.js';

function setup() {
  const bus = new InMemoryFanoutBus();
  const store = new InMemoryPresenceStore();
  const presence = new PresenceService(store, bus);
  presence.onModuleInit();
  const announced: string[] = [];
  bus.subscribe((envelope: FanoutEnvelope) => {
    if (envelope.kind !== 'everyone') return;
    const frame = JSON.parse(envelope.frame);
    announced.push(`${frame.type}:${frame.user_id}`);
  });
  return { presence, store, announced, bus };
}

const ada = { id: 1, nickname: 'ada' };
const bob = { id: 2, nickname: 'bob' };

describe('PresenceService', () => {
  it('announces one user_joined for several sockets and one user_left when the last goes', async () => {
    const { presence, announced } = setup();
    await Promise.all([presence.attach(ada), presence.attach(ada), presence.attach(ada)]);
    await presence.detach(ada);
    await presence.detach(ada);
    expect(announced).toEqual(['user_joined:1']);
    await presence.detach(ada);
    expect(announced).toEqual(['user_joined:1', 'user_left:1']);
  });

  it('hands the bus subscribers of this node the frame object of its own announcement, equal to the text', async () => {
    const { presence, bus } = setup();
    const seen: unknown[] = [];
    bus.subscribe((envelope) => {
      if (envelope.kind === 'everyone')
        seen.push([presence.publishedFrame(envelope.frame), JSON.parse(envelope.frame)]);
    });
    await presence.attach(ada);
    expect(seen).toHaveLength(1);
    const [own, parsed] = seen[0] as [unknown, { type: string; user_id: number }];
    expect(own).toEqual(parsed);
    expect(parsed).toMatchObject({ type: 'user_joined', user_id: ada.id });
    expect(presence.publishedFrame(JSON.stringify(parsed))).toBeUndefined(); // only while it is published
  });

  it('keeps the order of rapid changes of one user', async () => {
    const { presence, announced } = setup();
    const steps = [presence.attach(ada), presence.detach(ada), presence.attach(ada), presence.detach(ada)];
    await Promise.all(steps);
    expect(announced).toEqual(['user_joined:1', 'user_left:1', 'user_joined:1', 'user_left:1']);
    expect(await presence.online()).toEqual([]);
  });

  it('ignores a detach without an attach', async () => {
    const { presence, announced } = setup();
    await presence.detach(bob);
    expect(announced).toEqual([]);
  });

  it('reports every online user once, and which of a list are online', async () => {
    const { presence } = setup();
    await Promise.all([presence.attach(bob), presence.attach(ada), presence.attach(ada)]);
    expect(await presence.online()).toEqual([ada, bob]);
    expect(await presence.onlineAmong([1, 3])).toEqual(new Set([1]));
  });

  it('nodes sharing one store count a user once across them', async () => {
    const bus = new InMemoryFanoutBus();
    const store = new InMemoryPresenceStore();
    const nodeA = new PresenceService(store, bus);
    const nodeB = new PresenceService(store, bus);
    const announced: string[] = [];
    bus.subscribe((e) => e.kind === 'everyone' && announced.push(JSON.parse(e.frame).type));
    await nodeA.attach(ada);
    await nodeB.attach(ada);
    await nodeA.detach(ada);
    expect(announced).toEqual(['user_joined']);
    await nodeB.detach(ada);
    expect(announced).toEqual(['user_joined', 'user_left']);
  });
});
