import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { registerAndLogin, TestUser } from '../support/http-client.js';
import { tryHandshake } from '../support/handshake.js';
import { startTestApp, TestApp } from '../support/test-app.js';

const opened: WebSocket[] = [];
afterEach(() => {
  for (const ws of opened.splice(0)) ws.terminate();
});

async function attempt(url: string, headers: Record<string, string> = {}) {
  const outcome = await tryHandshake(url, headers);
  if (outcome.ws) opened.push(outcome.ws);
  return outcome;
}

describe('sockets per user (CHAT_MAX_SOCKETS_PER_USER=3)', () => {
  let server: TestApp;
  let alice: TestUser;
  let bob: TestUser;

  beforeAll(async () => {
    server = await startTestApp({ CHAT_MAX_SOCKETS_PER_USER: '3', CHAT_HANDSHAKE_RATE_PER_IP: 'off' });
    [alice, bob] = [await registerAndLogin(server.baseUrl), await registerAndLogin(server.baseUrl)];
  });
  afterAll(() => server.close());

  it('of 6 concurrent handshakes exactly 3 open, the others get 429 before any socket exists', async () => {
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, () => attempt(server.wsUrl, { cookie: alice.cookie })),
    );
    expect(outcomes.map((o) => o.status).sort()).toEqual([101, 101, 101, 429, 429, 429]);
    expect((await attempt(server.wsUrl, { cookie: bob.cookie })).status).toBe(101);
  });

  it('a closed socket gives its place back', async () => {
    const first = await Promise.all(Array.from({ length: 3 }, () => attempt(server.wsUrl, { cookie: alice.cookie })));
    expect(first.every((o) => o.status === 101)).toBe(true);
    expect((await attempt(server.wsUrl, { cookie: alice.cookie })).status).toBe(429);
    const ws = first[0].ws!;
    await new Promise<void>((resolve) => {
      ws.once('close', () => resolve());
      ws.close();
    });
    // the server releases the place when its end of the TCP connection closes: poll for it, bounded
    let status = 0;
    for (let i = 0; i < 50 && status !== 101; i++) {
      status = (await attempt(server.wsUrl, { cookie: alice.cookie })).status;
      if (status !== 101) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(status).toBe(101);
  });
});

describe('handshakes per address (CHAT_HANDSHAKE_RATE_PER_IP=1/1m,burst=5)', () => {
  let server: TestApp;
  let alice: TestUser;

  beforeAll(async () => {
    server = await startTestApp({ CHAT_HANDSHAKE_RATE_PER_IP: '1/1m,burst=5' });
    alice = await registerAndLogin(server.baseUrl);
  });
  afterAll(() => server.close());

  it('counts every attempt, accepted or not; the 6th gets 429 with Retry-After, even with a valid session', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await attempt(server.wsUrl, { cookie: alice.cookie })).status);
    statuses.push((await attempt(server.wsUrl)).status);
    statuses.push((await attempt(server.wsUrl, { cookie: alice.cookie, origin: 'https://evil.example' })).status);
    expect(statuses).toEqual([101, 101, 101, 401, 403]);
    const refused = await attempt(server.wsUrl, { cookie: alice.cookie });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
  });
});
