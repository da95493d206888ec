import { once } from 'node:events';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { type ClientOptions, WebSocketServer } from 'ws';
import { writeNowIfIdle } from './direct-socket-write.js';
import { rawSocketOf } from './raw-socket.js';
import { encodeTextFrameOf } from './text-frame.js';

/** TLS 1.2 with a pre-shared key: a real encrypted socket, no certificate needed. */
const PSK = Buffer.from('f0rum-chat-test-psk-0123456789ab');
const TLS_PSK = { ciphers: 'PSK-AES128-GCM-SHA256', minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' } as const;

describe('writeNowIfIdle on a TLS socket (real https server)', () => {
  let server: Server | undefined;
  let wss: WebSocketServer | undefined;
  const clients: WebSocket[] = [];
  afterEach(async () => {
    for (const client of clients) client.terminate();
    for (const socket of wss?.clients ?? []) socket.terminate();
    await new Promise<void>((resolve) => (wss ? wss.close(() => resolve()) : resolve()));
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it('leaves the bytes to the stream, whose descriptor carries ciphertext, and the frame arrives intact', async () => {
    server = createServer({ ...TLS_PSK, pskCallback: () => PSK });
    wss = new WebSocketServer({ server, perMessageDeflate: false });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const accepted = once(wss, 'connection') as Promise<[WebSocket]>;
    // ws hands these on to tls.connect; its ClientOptions type names neither pskCallback nor
    // a checkServerIdentity that accepts a server without a certificate
    const tlsOptions: ConnectionOptions = {
      ...TLS_PSK,
      pskCallback: () => ({ psk: PSK, identity: 'test' }),
      checkServerIdentity: () => undefined,
    };
    const url = `wss://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new WebSocket(url, tlsOptions as unknown as ClientOptions);
    clients.push(client);
    const [[serverSide]] = await Promise.all([accepted, once(client, 'open')]);
    const received = once(client, 'message') as Promise<[Buffer]>;

    const socket = rawSocketOf(serverSide);
    const frame = encodeTextFrameOf('through TLS');
    expect(writeNowIfIdle(socket, frame), 'nothing written around the TLS layer').toBe(0);
    socket.write(frame); // the caller's fallback
    const [data] = await received;
    expect(data.toString()).toBe('through TLS');
  });
});
