import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatTestApp, HandshakeRefusedError, startChatModuleTest } from '../../src/testing/index.js';

const alice = { id: 1, nickname: 'alice' };
const bob = { id: 2, nickname: 'bob' };

/** The HTTP status of a handshake as `alice`: 101 when the socket opened, else the refusal's. */
const statusOf = (attempt: Promise<unknown>) =>
  attempt.then(
    () => 101,
    (error: unknown) => (error instanceof HandshakeRefusedError ? error.status : Promise.reject(error)),
  );

describe('sockets per user (maxSocketsPerUser 3)', () => {
  let chat: ChatTestApp;

  beforeAll(async () => {
    chat = await startChatModuleTest({ chat: { maxSocketsPerUser: 3, handshakeRatePerIp: null } });
  });
  afterAll(() => chat.close());

  it('of 6 concurrent handshakes exactly 3 open, the others get 429 before any socket exists', async () => {
    const attempts = Array.from({ length: 6 }, () => chat.open(chat.ticketHeaders(alice)));
    const statuses = await Promise.all(attempts.map(statusOf));
    expect(statuses.sort()).toEqual([101, 101, 101, 429, 429, 429]);
    expect(await statusOf(chat.connectAs(bob))).toBe(101);
    await Promise.all(
      attempts.map((attempt) =>
        attempt.then(
          (socket) => socket.close(),
          () => undefined,
        ),
      ),
    );
  });

  it('a closed socket gives its place back', async () => {
    const tabs = await chat.tabs(alice, 3);
    expect(await chat.expectRefused(chat.ticketHeaders(alice))).toBe(429);
    await tabs[0].close();
    // the server releases the place when its end of the TCP connection closes: poll for it, bounded
    let status = 0;
    for (let i = 0; i < 50 && status !== 101; i++) {
      status = await statusOf(chat.connectAs(alice));
      if (status !== 101) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(status).toBe(101);
  });
});

describe('handshakes per address (1/1m, burst 5)', () => {
  let chat: ChatTestApp;

  beforeAll(async () => {
    chat = await startChatModuleTest({ chat: { handshakeRatePerIp: { rate: 1, perMs: 60_000, burst: 5 } } });
  });
  afterAll(() => chat.close());

  it('counts every attempt, accepted or not; the 6th gets 429 with Retry-After, even with a valid identity', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push(await statusOf(chat.connectAs(alice)));
    statuses.push(await statusOf(chat.open()));
    statuses.push(await statusOf(chat.open({ ...chat.ticketHeaders(alice), origin: 'https://evil.example' })));
    expect(statuses).toEqual([101, 101, 101, 401, 403]);
    const refused = await chat.connectAs(alice).then(
      () => null,
      (error: HandshakeRefusedError) => error,
    );
    expect(refused?.status).toBe(429);
    expect(Number(refused?.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(refused?.headers['retry-after'])).toBeLessThanOrEqual(60);
  });
});
