import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryFanoutBus } from '../../src/chat/fanout/in-memory-fanout.bus.js';
import { MessageStore } from '../../src/chat/history/message.store.js';
import { InMemoryPresenceStore } from '../../src/chat/presence/in-memory-presence.store.js';
import { describeWithServices, requireServices } from '../support/services.js';
import { startTestApp, TestApp } from '../support/test-app.js';

async function health(server: TestApp) {
  const response = await fetch(`${server.baseUrl}/health`);
  return { status: response.status, body: await response.json() };
}

const redisProbe = await requireServices('redis');

describe('GET /health', () => {
  let server: TestApp | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('answers 200 while the database answers, and 503 naming it once its connection is gone', async () => {
    server = await startTestApp();
    const up = await health(server);
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
    expect(up.body.info).not.toHaveProperty('redis');

    await server.app.get<MessageStore>(MessageStore).close();
    const down = await health(server);
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'down: database',
      status: 'error',
      details: { database: { status: 'down' } },
    });
    expect(JSON.stringify(down.body)).not.toMatch(/stack|at \w+ \(/);
  });

  describeWithServices(redisProbe, 'in cluster mode', () => {
    it('checks Redis in cluster mode through the fan-out bus and answers 503 while the bus reports it unreachable', async () => {
      let reachable = true;
      const bus = Object.assign(new InMemoryFanoutBus(), { isHealthy: () => reachable });
      // Redis itself answers (the rate limiters use it); the bus stands in for a fan-out connection that comes and goes
      server = await startTestApp(
        {
          REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
          CHAT_REDIS_PREFIX: `forum-chat-test:${process.pid}:health:`,
        },
        { overrides: { fanoutBus: bus, presenceStore: new InMemoryPresenceStore() } },
      );
      const up = await health(server);
      expect(up.status).toBe(200);
      expect(up.body).toMatchObject({ status: 'ok', info: { database: { status: 'up' }, redis: { status: 'up' } } });

      reachable = false;
      const down = await health(server);
      expect(down.status).toBe(503);
      expect(down.body).toMatchObject({
        statusCode: 503,
        message: 'down: redis',
        details: { database: { status: 'up' }, redis: { status: 'down' } },
      });
    });
  });
});
