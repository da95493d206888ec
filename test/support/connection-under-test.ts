import { afterEach, beforeEach, vi } from 'vitest';
import type { WebSocket } from 'ws';
import type { SocketPrincipal } from '../../src/chat/auth/chat-principal.js';
import { ClientConnection } from '../../src/chat/transport/client-connection.js';
import { OutboundFlusher } from '../../src/chat/transport/outbound-flusher.js';
import { listenForSocketPairs, type SocketPairs } from './socket-pair.js';

/** What a `ClientConnection` made by `connectionOn` reported through its callbacks. */
export interface ConnectionReports {
  slowConsumers: number;
}

/**
 * A real `ClientConnection` around an accepted server-side socket, as `ConnectionFactory`
 * makes one (its own flusher), with the principal and send-queue limit a spec needs.
 */
export function connectionOn(
  ws: WebSocket,
  options: { principal?: Partial<SocketPrincipal>; sendQueueLimit?: number; sendQueueBytes?: number } = {},
): { connection: ClientConnection; reports: ConnectionReports } {
  const reports: ConnectionReports = { slowConsumers: 0 };
  const principal: SocketPrincipal = {
    id: 1,
    nickname: 'ann',
    sessionKey: null,
    expiresAt: null,
    ...options.principal,
  };
  const connection = new ClientConnection(
    ws,
    principal,
    new Set(),
    { frames: options.sendQueueLimit ?? 256, bytes: options.sendQueueBytes ?? 4_194_304 },
    new OutboundFlusher(),
    () => {
      reports.slowConsumers += 1;
    },
  );
  return { connection, reports };
}

/** The fake clock transport specs use: timers and `Date` are faked, I/O (`setImmediate`, `nextTick`) runs for real. */
export const FAKE_CLOCK: NonNullable<Parameters<typeof vi.useFakeTimers>[0]> = {
  toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
};

/**
 * For each test of the enclosing suite: a fresh socket server, then the fake clock
 * (`FAKE_CLOCK`); after it, the real clock again and everything closed.
 */
export function socketPairsOnFakeClock(): Pick<SocketPairs, 'connect'> {
  let pairs: SocketPairs | undefined;
  beforeEach(async () => {
    pairs = await listenForSocketPairs();
    vi.useFakeTimers(FAKE_CLOCK);
  });
  afterEach(async () => {
    vi.useRealTimers();
    await pairs?.close();
  });
  return { connect: (options) => pairs!.connect(options) };
}
