import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { rawSocketOf } from './raw-socket.js';
import { encodeTextFrameOf } from './text-frame.js';

/** The `ws` that `@nestjs/platform-ws` loads: the one that creates the chat's server sockets. */
const nestRequire = createRequire(createRequire(import.meta.url).resolve('@nestjs/platform-ws'));
const nestWs = nestRequire('ws') as typeof import('ws');
const packageJson = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));

describe('the parts of ws the transport relies on', () => {
  let server: WebSocketServer;
  let url: string;
  const accepted: WebSocket[] = [];

  beforeAll(async () => {
    server = new nestWs.WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
    server.on('connection', (socket: WebSocket) => accepted.push(socket));
    await new Promise((resolve) => server.once('listening', resolve));
    url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('is one ws, of the minor version package.json pins, for Nest and for us', () => {
    const ours = createRequire(import.meta.url)('ws/package.json').version as string;
    expect(nestRequire('ws/package.json').version).toBe(ours);
    const pinned = /^~(\d+\.\d+)\.\d+$/.exec(packageJson.peerDependencies.ws)?.[1];
    expect(pinned, 'ws is pinned to a minor range (~x.y.z) for hosts').toBeDefined();
    expect(packageJson.devDependencies.ws, 'the tested ws is the range hosts are held to').toBe(
      packageJson.peerDependencies.ws,
    );
    expect(ours.startsWith(`${pinned}.`)).toBe(true);
  });

  it('hands over the upgraded TCP socket as _socket; frames written there interleave with ws own sends', async () => {
    const client = new WebSocket(url);
    const received: string[] = [];
    client.on('message', (data) => received.push(data.toString()));
    const pinged = new Promise<void>((resolve) => client.once('ping', () => resolve()));
    const closed = new Promise<number>((resolve) => client.once('close', (code) => resolve(code)));
    await new Promise((resolve) => client.once('open', resolve));
    const serverSide = accepted[accepted.length - 1];
    const raw = rawSocketOf(serverSide);
    raw.write(Buffer.concat([encodeTextFrameOf('first'), encodeTextFrameOf('é'.repeat(40_000))]));
    serverSide.ping();
    await pinged;
    serverSide.send('from ws');
    raw.write(encodeTextFrameOf('last'));
    serverSide.close(4000, 'done');
    expect(await closed).toBe(4000);
    expect(received).toEqual(['first', 'é'.repeat(40_000), 'from ws', 'last']);
  });

  it('rawSocketOf refuses a socket without the private field instead of letting delivery go silent', () => {
    expect(() => rawSocketOf({} as WebSocket)).toThrow(/pinned ws version/);
  });
});
