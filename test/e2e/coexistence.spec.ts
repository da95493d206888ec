import { INestApplication, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PassportStrategy } from '@nestjs/passport';
import { WsAdapter } from '@nestjs/platform-ws';
import { MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Strategy } from 'passport-custom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ChatModule, ChatWsAdapter, InMemoryFanoutBus, InMemoryPresenceStore } from '../../src/chat/index.js';
import { InMemoryRateLimiter } from '../../src/chat/limits/in-memory-rate.limiter.js';
import { InMemoryMessageStore } from '../../src/testing/in-memory-message.store.js';
import { InMemoryModerationStore } from '../../src/testing/in-memory-moderation.store.js';
import { TestSocket } from '../support/ws-client.js';

/** A host app's own gateway on the stock `ws` protocol (`{ event, data }`), with no auth. */
@WebSocketGateway({ path: '/echo' })
class EchoGateway {
  @SubscribeMessage('echo')
  echo(@MessageBody() data: unknown) {
    return { event: 'echo', data };
  }
}

/** The host's own strategy for the chat: a header names the user. */
@Injectable()
class HeaderStrategy extends PassportStrategy(Strategy, 'host-header') {
  validate(request: IncomingMessage) {
    return request.headers['x-user'] === 'ada' ? { id: 7, nickname: 'ada' } : null;
  }
}

const users = [{ id: 7, nickname: 'ada' }];

@Module({ providers: [EchoGateway] })
class HostOnlyModule {}

/** The chat's options in every app of this spec: its own path and strategy, in-memory ports. */
const chatModule = () =>
  ChatModule.forRoot({
    userDirectory: { findById: async (id) => users.find((u) => u.id === id) ?? null, list: async () => users },
    authStrategy: 'host-header',
    path: '/chat',
    maxFrameBytes: 256,
    fanoutBus: new InMemoryFanoutBus(),
    presenceStore: new InMemoryPresenceStore(),
    messageStore: new InMemoryMessageStore(),
    moderationStore: new InMemoryModerationStore(),
    rateLimiter: new InMemoryRateLimiter(),
  });

@Module({ imports: [chatModule()], providers: [EchoGateway, HeaderStrategy] })
class HostWithChatModule {}

/** The chat alone, as a second application beside a host that keeps its own adapter. */
@Module({ imports: [chatModule()], providers: [HeaderStrategy] })
class ChatOnlyModule {}

/** A plain `ws` client of the echo gateway, keeping every text it receives in order. */
async function openEcho(url: string): Promise<{ ws: WebSocket; next(): Promise<string> }> {
  const ws = new WebSocket(url);
  const received: string[] = [];
  const waiting: Array<(text: string) => void> = [];
  ws.on('message', (data) => {
    const text = data.toString();
    const waiter = waiting.shift();
    if (waiter) waiter(text);
    else received.push(text);
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('unexpected-response', (_request, response) => reject(new Error(`refused: ${response.statusCode}`)));
    ws.once('error', reject);
  });
  return {
    ws,
    next: () =>
      received.length > 0 ? Promise.resolve(received.shift()!) : new Promise((resolve) => waiting.push(resolve)),
  };
}

const apps = [
  ['stock WsAdapter, no chat', HostOnlyModule, (app: INestApplication) => new WsAdapter(app)],
  ['ChatWsAdapter with the chat', HostWithChatModule, (app: INestApplication) => new ChatWsAdapter(app)],
] as const;

describe.each(apps)("a host's own gateway (%s)", (_name, module, adapter) => {
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    app = await NestFactory.create(module, { logger: false });
    app.useWebSocketAdapter(adapter(app));
    await app.listen(0, '127.0.0.1');
    base = `ws://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(() => app.close());

  it('opens without any chat session and answers on the stock protocol', async () => {
    const echo = await openEcho(`${base}/echo`);
    echo.ws.send(JSON.stringify({ event: 'echo', data: 'hi' }));
    expect(JSON.parse(await echo.next())).toEqual({ event: 'echo', data: 'hi' });
    echo.ws.close();
  });

  it("has none of the chat's limits or parsing: large and binary frames pass, unknown events are ignored", async () => {
    const echo = await openEcho(`${base}/echo`);
    const large = 'x'.repeat(4096);
    echo.ws.send(JSON.stringify({ event: 'echo', data: large }));
    expect(JSON.parse(await echo.next())).toEqual({ event: 'echo', data: large });
    echo.ws.send(Buffer.from(JSON.stringify({ event: 'echo', data: 'binary' })), { binary: true });
    expect(JSON.parse(await echo.next())).toEqual({ event: 'echo', data: 'binary' });
    echo.ws.send(JSON.stringify({ type: 'chat_message', content: 'not chat here' }));
    echo.ws.send('not json');
    echo.ws.send(JSON.stringify({ event: 'echo', data: 'sentinel' }));
    expect(JSON.parse(await echo.next())).toEqual({ event: 'echo', data: 'sentinel' });
    expect(echo.ws.readyState).toBe(WebSocket.OPEN);
    echo.ws.close();
  });
});

describe('the chat beside a host gateway', () => {
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    app = await NestFactory.create(HostWithChatModule, { logger: false });
    app.useWebSocketAdapter(new ChatWsAdapter(app));
    await app.listen(0, '127.0.0.1');
    base = `ws://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });
  afterAll(() => app.close());

  it('owns only its configured path, with its own auth, parsing and limits', async () => {
    await expect(TestSocket.open(`${base}/chat`)).rejects.toMatchObject({ status: 401 });
    await expect(openEcho(`${base}/ws`)).rejects.toThrow();
    const ada = await TestSocket.open(`${base}/chat`, { headers: { 'x-user': 'ada' } });
    expect((await ada.nextOfType('online_users')).users).toEqual(users);
    ada.sendRaw('not json');
    expect(await ada.nextOfType('error')).toMatchObject({ code: 'invalid_json' });
    ada.send({ type: 'chat_message', content: 'beside the echo', client_id: 'c1' });
    expect(await ada.nextOfType('ack')).toMatchObject({ client_id: 'c1' });
    ada.sendRaw(JSON.stringify({ type: 'chat_message', content: 'x'.repeat(300) }));
    expect((await ada.closed).code).toBe(1009);
  });
});

describe('the chat as a second application beside a host that keeps its own adapter', () => {
  let host: INestApplication;
  let chat: INestApplication;
  let hostBase: string;
  let chatBase: string;

  beforeAll(async () => {
    host = await NestFactory.create(HostOnlyModule, { logger: false });
    host.useWebSocketAdapter(new WsAdapter(host)); // the host's adapter, whatever it is, stays
    await host.listen(0, '127.0.0.1');
    chat = await NestFactory.create(ChatOnlyModule, { logger: false });
    chat.useWebSocketAdapter(new ChatWsAdapter(chat));
    await chat.listen(0, '127.0.0.1');
    const base = (app: INestApplication) => `ws://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    [hostBase, chatBase] = [base(host), base(chat)];
  });
  afterAll(async () => {
    await chat?.close();
    await host?.close();
  });

  it('serves each on its own port in one process: the host its gateway, the chat its path', async () => {
    const echo = await openEcho(`${hostBase}/echo`);
    echo.ws.send(JSON.stringify({ event: 'echo', data: 'host' }));
    expect(JSON.parse(await echo.next())).toEqual({ event: 'echo', data: 'host' });
    await expect(openEcho(`${hostBase}/chat`)).rejects.toThrow();

    await expect(TestSocket.open(`${chatBase}/chat`)).rejects.toMatchObject({ status: 401 });
    const ada = await TestSocket.open(`${chatBase}/chat`, { headers: { 'x-user': 'ada' } });
    expect((await ada.nextOfType('online_users')).users).toEqual(users);
    ada.send({ type: 'chat_message', content: 'from the second app', client_id: 'c2' });
    expect(await ada.nextOfType('ack')).toMatchObject({ client_id: 'c2' });
    await expect(openEcho(`${chatBase}/echo`)).rejects.toThrow();
    echo.ws.close();
    await ada.close();
  });
});
