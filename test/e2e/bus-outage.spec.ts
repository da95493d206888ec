import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/cluster.js';
import { RedisFanoutBus } from '../../src/chat/fanout/redis-fanout.bus.js';
import { JsonLogger } from '../../src/logging/json.logger.js';
import { registerAndLogin, TestUser } from '../support/http-client.js';
import { startTestApp, TestApp } from '../support/test-app.js';
import { TestSocket } from '../support/ws-client.js';

describe('a fan-out bus that refuses (Redis unreachable from the start)', () => {
  let server: TestApp;
  let bus: RedisFanoutBus;
  let alice: TestUser;
  let bob: TestUser;
  const lines: string[] = [];

  beforeAll(async () => {
    // the real Redis bus, pointed at a port where nothing listens: every publish is refused
    bus = new RedisFanoutBus({ url: `redis://127.0.0.1:${await freePort()}`, keyPrefix: 'unreachable:', nodeId: 'n1' });
    server = await startTestApp(
      {},
      { overrides: { fanoutBus: bus }, logger: new JsonLogger((line) => lines.push(line)) },
    );
    [alice, bob] = [await registerAndLogin(server.baseUrl), await registerAndLogin(server.baseUrl)];
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await bus?.close();
  });

  it('typing reaches the recipient on this instance and answers the sender nothing, logging nothing per keystroke', async () => {
    const a = await TestSocket.connect(server.wsUrl, alice.cookie);
    const b = await TestSocket.connect(server.wsUrl, bob.cookie);
    const loggedBefore = lines.length;
    for (let i = 0; i < 5; i++) a.send({ type: 'typing', to: bob.id, active: i % 2 === 0 });
    a.send({ type: 'history', limit: 1 }); // the sentinel: it must be the next thing alice hears
    expect((await a.next((f) => f.type !== 'user_joined' && f.type !== 'user_left')).type).toBe('history');
    expect(a.framesOfType('error')).toEqual([]);
    await b.next((f) => f.type === 'typing' && f.user_id === alice.id);
    const logged = lines.slice(loggedBefore).filter((line) => /"level":"(error|warn)"/.test(line));
    expect(logged).toEqual([]);
    // a message is stored, acked and delivered here as well
    a.send({ type: 'chat_message', content: 'through the outage', client_id: 'outage-1' });
    const ack = await a.nextOfType('ack');
    expect(await b.next((f) => f.type === 'chat_message' && f.id === ack.id)).toMatchObject({
      content: 'through the outage',
    });
    await Promise.all([a.close(), b.close()]);
  });
});
