import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_COOLDOWN_MS } from '../../src/chat/limits/account-debts.js';
import { tryHandshake } from '../support/handshake.js';
import { login, registerAndLogin, TestUser } from '../support/http-client.js';
import { deleteRedisKeys, describeWithServices, requireServices, TEST_REDIS_URL } from '../support/services.js';
import { startTestApp, TestApp } from '../support/test-app.js';
import { TestSocket } from '../support/ws-client.js';

const REFUSED = JSON.stringify({ type: 'no_such_type' });
/** With the default message burst (10): 30 refusals per socket, 60 per account are tolerated within 10 s. */
const PER_SOCKET = 20;

/** Puts `user`'s account over its refused-frame budget from 3 sockets on `wsUrl`; answers the sockets. */
async function overspend(wsUrl: string, user: TestUser): Promise<TestSocket[]> {
  const sockets = await Promise.all([1, 2, 3].map(() => TestSocket.connect(wsUrl, user.cookie)));
  for (const socket of sockets) {
    for (let i = 0; i < PER_SOCKET; i++) socket.sendRaw(REFUSED);
    for (let i = 0; i < PER_SOCKET; i++) await socket.nextOfType('error');
  }
  sockets[0].sendRaw(REFUSED); // the account's 61st refusal
  return sockets;
}

/** The `Retry-After` of a refused handshake, in seconds. */
function retryAfterOf(headers: Record<string, string | string[] | undefined>): number {
  return Number(headers['retry-after']);
}

describe('an account over its refused-frame budget is in debt', () => {
  let server: TestApp;

  beforeAll(async () => {
    server = await startTestApp({ CHAT_HANDSHAKE_RATE_PER_IP: 'off' });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('closes every socket of the account with 1008, also one that sent nothing', async () => {
    const eve = await registerAndLogin(server.baseUrl);
    const quiet = await TestSocket.connect(server.wsUrl, eve.cookie);
    const sockets = await overspend(server.wsUrl, eve);
    expect(await sockets[0].closed).toEqual({ code: 1008, reason: 'too many refused frames' });
    for (const socket of [...sockets.slice(1), quiet])
      expect(await socket.closed).toEqual({ code: 1008, reason: 'too many refused frames on this account' });
  });

  it('refuses the account new sockets with 429 and Retry-After for the cool-down, with any of its sessions', async () => {
    const eve = await registerAndLogin(server.baseUrl);
    await (
      await overspend(server.wsUrl, eve)
    )[0].closed;
    const refused = await tryHandshake(server.wsUrl, { cookie: eve.cookie });
    expect(refused.status).toBe(429);
    expect(retryAfterOf(refused.headers)).toBeGreaterThanOrEqual(1);
    expect(retryAfterOf(refused.headers)).toBeLessThanOrEqual(ACCOUNT_COOLDOWN_MS / 1000);
    // a fresh login is the same account: refused too
    const again = await login(server.baseUrl, eve.nickname, eve.password);
    expect((await tryHandshake(server.wsUrl, { cookie: again.cookie })).status).toBe(429);
    // everyone else connects and chats as before
    const bob = await registerAndLogin(server.baseUrl);
    const socket = await TestSocket.connect(server.wsUrl, bob.cookie);
    socket.send({ type: 'chat_message', content: 'unaffected', client_id: 'bob-1' });
    expect(await socket.nextOfType('ack')).toMatchObject({ client_id: 'bob-1' });
    await socket.close();
  });

  it('leaves an account under its budget alone: a socket cut for its own refusals does not stop the others', async () => {
    const carol = await registerAndLogin(server.baseUrl);
    const [noisy, calm] = await Promise.all([1, 2].map(() => TestSocket.connect(server.wsUrl, carol.cookie)));
    for (let i = 0; i < 31; i++) noisy.sendRaw(REFUSED);
    expect(await noisy.closed).toEqual({ code: 1008, reason: 'too many refused frames' });
    calm.send({ type: 'chat_message', content: 'still here', client_id: 'calm-1' });
    expect(await calm.nextOfType('ack')).toMatchObject({ client_id: 'calm-1' });
    const reconnected = await TestSocket.connect(server.wsUrl, carol.cookie);
    await Promise.all([calm.close(), reconnected.close()]);
  });
});

const redisProbe = await requireServices('redis');

describeWithServices(redisProbe, 'the cool-down of an account in debt holds on every instance sharing Redis', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'forum-chat-cooldown-'));
  const prefix = `forum-chat-test:${process.pid}:${randomBytes(4).toString('hex')}:`;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    // two instances as two processes would be: one database, one Redis
    const env = { REDIS_URL: TEST_REDIS_URL, CHAT_REDIS_PREFIX: prefix, CHAT_HANDSHAKE_RATE_PER_IP: 'off' };
    a = await startTestApp(env, { dataDir });
    b = await startTestApp(env, { dataDir });
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await deleteRedisKeys(prefix).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('an account put in debt on one instance is refused sockets on the other', async () => {
    const eve = await registerAndLogin(a.baseUrl);
    const onB = await login(b.baseUrl, eve.nickname, eve.password);
    const before = await tryHandshake(b.wsUrl, { cookie: onB.cookie });
    expect(before.status).toBe(101);
    before.ws!.terminate();
    await (
      await overspend(a.wsUrl, eve)
    )[0].closed;
    const refused = await tryHandshake(b.wsUrl, { cookie: onB.cookie });
    expect(refused.status).toBe(429);
    expect(retryAfterOf(refused.headers)).toBeGreaterThanOrEqual(1);
    const bob = await registerAndLogin(b.baseUrl);
    const fine = await tryHandshake(b.wsUrl, { cookie: bob.cookie });
    expect(fine.status).toBe(101);
    fine.ws!.terminate();
  });
});
