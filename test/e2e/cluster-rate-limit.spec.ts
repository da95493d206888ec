import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithServices, requireServices, TEST_REDIS_URL } from '../support/services.js';
import { RedisRateLimiter } from '../../src/chat/limits/redis-rate.limiter.js';
import { login, registerAndLogin, TestUser } from '../support/http-client.js';
import { startTestApp, TestApp } from '../support/test-app.js';
import { TestSocket } from '../support/ws-client.js';

const REDIS_URL = TEST_REDIS_URL;
const redisProbe = await requireServices('redis');

describeWithServices(redisProbe, 'message rate limit across two instances sharing Redis (burst 10)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'forum-chat-cluster-'));
  const prefix = `forum-chat-test:${process.pid}:${randomBytes(4).toString('hex')}:`;
  const limiters: RedisRateLimiter[] = [];
  let a: TestApp;
  let b: TestApp;
  let alice: TestUser;

  beforeAll(async () => {
    // two instances as two processes would be: one database, one Redis, each its own limiter client
    for (let i = 0; i < 2; i++) limiters.push(await RedisRateLimiter.connect(REDIS_URL, { prefix }));
    const env = { CHAT_RATE_LIMIT: '1/1m,burst=10' };
    a = await startTestApp(env, { dataDir, overrides: { rateLimiter: limiters[0] } });
    b = await startTestApp(env, { dataDir, overrides: { rateLimiter: limiters[1] } });
    alice = await registerAndLogin(a.baseUrl);
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
    await Promise.all(limiters.map((limiter) => limiter.close()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('one user with a socket on each instance gets exactly 10 acks between them', async () => {
    const onA = await TestSocket.connect(a.wsUrl, alice.cookie);
    const onB = await TestSocket.connect(b.wsUrl, (await login(b.baseUrl, alice.nickname, alice.password)).cookie);
    for (let i = 0; i < 6; i++) {
      onA.send({ type: 'chat_message', content: `a${i}`, client_id: `a${i}` });
      onB.send({ type: 'chat_message', content: `b${i}`, client_id: `b${i}` });
    }
    const answered = (socket: TestSocket, prefixOf: string) =>
      socket.next(
        (f) => (f.type === 'ack' && f.client_id === `${prefixOf}5`) || (f.type === 'error' && f.ref === `${prefixOf}5`),
      );
    await Promise.all([answered(onA, 'a'), answered(onB, 'b')]);
    const acks = onA.framesOfType('ack').length + onB.framesOfType('ack').length;
    const refused = [...onA.framesOfType('error'), ...onB.framesOfType('error')];
    expect(acks).toBe(10);
    expect(refused).toHaveLength(2);
    expect(refused.every((f) => f.code === 'rate_limited' && (f.retry_after_ms ?? 0) > 0)).toBe(true);
    await Promise.all([onA.close(), onB.close()]);
  });
});
