import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connectionOn, socketPairsOnFakeClock } from '../../../test/support/connection-under-test.js';
import { InMemoryFanoutBus } from '../fanout/in-memory-fanout.bus.js';
import { resolveChatOptions } from '../resolve-chat-options.js';
import { ConnectionRegistry } from './connection.registry.js';
import { Heartbeat } from './heartbeat.js';

const PING_MS = 1_000;
const PONG_TIMEOUT_MS = 3_000;

describe('Heartbeat (fake clock, real sockets)', () => {
  const pairs = socketPairsOnFakeClock();
  let registry: ConnectionRegistry;
  let heartbeat: Heartbeat;

  beforeEach(() => {
    const options = resolveChatOptions({
      databaseUrl: 'sqlite::memory:',
      userDirectory: { findById: async () => null, list: async () => [] },
      pingIntervalMs: PING_MS,
      pongTimeoutMs: PONG_TIMEOUT_MS,
    });
    registry = new ConnectionRegistry(new InMemoryFanoutBus());
    heartbeat = new Heartbeat(options, registry);
    heartbeat.onModuleInit();
  });

  afterEach(() => heartbeat.onModuleDestroy());

  /** A registered connection whose client lists the pings and messages it receives, in order. */
  async function watchedConnection() {
    const { server, client } = await pairs.connect();
    const { connection } = connectionOn(server);
    registry.add(connection);
    const seen: string[] = [];
    client.on('ping', () => seen.push('ping'));
    client.on('message', (data) => seen.push(data.toString()));
    return { server, client, connection, seen };
  }

  it('pings a socket once pingIntervalMs has passed since it was last seen, not before', async () => {
    const { server, client, seen } = await watchedConnection();

    vi.advanceTimersByTime(PING_MS - 1);
    server.send('sentinel');
    await once(client, 'message');
    expect(seen).toEqual(['sentinel']);

    vi.advanceTimersByTime(1);
    await once(client, 'ping');
    expect(seen).toEqual(['sentinel', 'ping']);
  });

  it('a frame seen since postpones the ping', async () => {
    const { server, client, connection, seen } = await watchedConnection();

    vi.advanceTimersByTime(PING_MS / 2);
    connection.markSeen();
    vi.advanceTimersByTime(PING_MS / 2);
    server.send('sentinel');
    await once(client, 'message');
    expect(seen).toEqual(['sentinel']);
    vi.advanceTimersByTime(PING_MS);
    await once(client, 'ping');
    expect(seen).toEqual(['sentinel', 'ping']);
  });

  it('terminates a socket that answered nothing for pongTimeoutMs (no close handshake)', async () => {
    const { server, client } = await pairs.connect({ autoPong: false });
    const { connection } = connectionOn(server);
    registry.add(connection);
    const closed = once(client, 'close') as Promise<[number]>;

    vi.advanceTimersByTime(PONG_TIMEOUT_MS - 1);
    expect(connection.isClosing).toBe(false);
    vi.advanceTimersByTime(1);
    expect(connection.isClosing).toBe(true);
    const [code] = await closed;
    expect(code).toBe(1006);
  });

  it('closes with 4401 a socket whose session expired', async () => {
    const { server, client } = await pairs.connect();
    const { connection } = connectionOn(server, { principal: { expiresAt: Date.now() + 1_500 } });
    registry.add(connection);
    const closed = once(client, 'close') as Promise<[number, Buffer]>;

    vi.advanceTimersByTime(1_000);
    expect(connection.isClosing).toBe(false);
    vi.advanceTimersByTime(1_000);
    const [code, reason] = await closed;
    expect([code, reason.toString()]).toEqual([4401, 'session expired']);
  });
});
