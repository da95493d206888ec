import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { setImmediate as nextTurn } from 'node:timers/promises';
import passport from 'passport';
import { Strategy } from 'passport-custom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocketServer } from 'ws';
import { FAKE_CLOCK } from '../../../test/support/connection-under-test.js';
import { tryHandshake } from '../../../test/support/handshake.js';
import type { ChatModuleOptions } from '../chat.options.js';
import { InMemoryConnectionLimiter } from '../limits/in-memory-connection.limiter.js';
import { InMemoryRateLimiter } from '../limits/in-memory-rate.limiter.js';
import { resolveChatOptions } from '../resolve-chat-options.js';
import { Handshake, principalOf } from './handshake.js';

const STRATEGY = 'handshake-spec';
/** How long the strategy takes to answer, on the fake clock. */
const AUTH_MS = 1_000;

/** Every step of the test, in the order it happened: strategy calls and sockets the server accepted. */
let steps: string[] = [];

// accepts `x-user: <id>` after AUTH_MS, refuses a request without it
passport.use(
  STRATEGY,
  new Strategy((request, done) => {
    const id = Number(request.headers['x-user']);
    steps.push(`auth ${id || 'nobody'}`);
    setTimeout(() => done(null, id ? { id, nickname: `user${id}` } : false), AUTH_MS);
  }),
);

describe('Handshake (fake clock, real upgrades)', () => {
  let server: WebSocketServer;
  let url: string;
  let handshake: Handshake;

  async function listen(options: Partial<ChatModuleOptions> = {}): Promise<void> {
    const resolved = resolveChatOptions({
      databaseUrl: 'sqlite::memory:',
      userDirectory: { findById: async () => null, list: async () => [] },
      authStrategy: STRATEGY,
      ...options,
    });
    handshake = new Handshake(
      resolved,
      new InMemoryRateLimiter(),
      new InMemoryConnectionLimiter(resolved.maxSocketsPerUser),
    );
    server = new WebSocketServer({ host: '127.0.0.1', port: 0, verifyClient: handshake.verify });
    // stands for the gateway: what reaches it is an accepted socket with its principal
    server.on('connection', (_ws, request: IncomingMessage) => steps.push(`accepted ${principalOf(request)?.id}`));
    await once(server, 'listening');
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Lets real I/O run until the strategy has been asked `count` times in all. */
  async function untilAuthCalls(count: number): Promise<void> {
    while (steps.filter((step) => step.startsWith('auth')).length < count) await nextTurn();
  }

  /** One upgrade through the strategy: the clock is moved on once the strategy was asked; its status. */
  async function upgrade(headers: Record<string, string> = {}): Promise<number> {
    const asked = steps.filter((step) => step.startsWith('auth')).length;
    const outcome = tryHandshake(url, headers);
    await untilAuthCalls(asked + 1);
    vi.advanceTimersByTime(AUTH_MS);
    return (await outcome).status;
  }

  beforeEach(() => {
    steps = [];
    vi.useFakeTimers(FAKE_CLOCK);
  });

  afterEach(async () => {
    vi.useRealTimers();
    for (const client of server.clients) client.terminate();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('accepts a socket only after the strategy authenticated it, with its principal', async () => {
    await listen();
    const outcome = tryHandshake(url, { 'x-user': '7' });
    await untilAuthCalls(1);
    vi.advanceTimersByTime(AUTH_MS - 1);
    expect(steps).toEqual(['auth 7']);
    vi.advanceTimersByTime(1);
    expect((await outcome).status).toBe(101);
    expect(steps).toEqual(['auth 7', 'accepted 7']);
  });

  it('a refused handshake never reaches the gateway and holds no socket slot', async () => {
    await listen({ maxSocketsPerUser: 1 });
    expect(await upgrade()).toBe(401);
    expect(await upgrade({ 'x-user': '8' }), 'a sentinel after it').toBe(101);
    expect(steps).toEqual(['auth nobody', 'auth 8', 'accepted 8']);
    expect(handshake.refusals.unauthenticated).toBe(1);
  });

  it('checks draining, then the origin, before asking the strategy', async () => {
    await listen({ allowedOrigins: ['https://forum.example'] });
    expect((await tryHandshake(url, { 'x-user': '7', origin: 'https://elsewhere.example' })).status).toBe(403);
    handshake.startDraining();
    expect((await tryHandshake(url, { 'x-user': '7', origin: 'https://forum.example' })).status).toBe(503);
    expect(steps).toEqual([]);
    expect(handshake.refusals).toMatchObject({ origin: 1, draining: 1 });
  });

  it("counts a user's sockets after authenticating them", async () => {
    await listen({ maxSocketsPerUser: 1 });
    expect(await upgrade({ 'x-user': '7' })).toBe(101);
    expect(await upgrade({ 'x-user': '7' })).toBe(429);
    expect(steps).toEqual(['auth 7', 'accepted 7', 'auth 7']);
  });
});
