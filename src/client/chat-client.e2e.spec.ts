import type { AckFrame, ChatMessageFrame, OnlinePageFrame, PresenceFrame } from '../chat/protocol/frames.js';
import { postJson, registerAndLogin, type TestUser } from '../../test/support/http-client.js';
import { TestSocket } from '../../test/support/ws-client.js';
import { ChatClient } from './chat-client.js';
import { useChatApp } from '../../test/support/chat-app.js';
import { cookieSocket, nextEvent } from '../../test/support/typed-client-sockets.js';

/** The typed client in Node against the real server. */
describe('ChatClient against the real server', () => {
  const server = useChatApp({ users: 2, env: { CHAT_RATE_LIMIT: 'off' } });
  let alice: TestUser, bob: TestUser;
  beforeAll(() => void ([alice, bob] = server.users));

  it('reconnects after a dropped connection and resumes with nothing missing or doubled, across the 500 cap', async () => {
    const { CookieWebSocket, sockets } = cookieSocket(alice.cookie);
    let release!: () => void;
    let gate: Promise<void> = Promise.resolve();
    const client = new ChatClient({
      url: server.wsUrl,
      WebSocket: CookieWebSocket,
      backoff: { initialMs: 50, maxMs: 200 },
      checkSession: async () => {
        await gate;
        return true;
      },
    });
    const received: ChatMessageFrame[] = [];
    client.on('chat_message', (m) => received.push(m));
    const opened = nextEvent((l) => client.on('open', l));
    client.connect();
    await opened;

    const bobSocket = await TestSocket.connect(server.wsUrl, bob.cookie);
    const send = async (content: string) => {
      bobSocket.send({ type: 'chat_message', content, client_id: content });
      return (await bobSocket.next<AckFrame>((f) => f.type === 'ack' && f.client_id === content)).id;
    };
    const firstId = await send('before the drop');
    await vi.waitFor(() => expect(received.map((m) => m.id)).toContain(firstId));

    gate = new Promise((resolve) => (release = resolve));
    const disconnected = nextEvent<{ willReconnect: boolean }>((l) => client.on('disconnected', l));
    sockets[0].terminate();
    expect((await disconnected).willReconnect).toBe(true);
    const missed: number[] = [];
    for (let i = 0; i < 510; i++) missed.push(await send(`missed ${i}`));
    const queued = client.sendChatMessage('sent while down');

    const synced = nextEvent((l) => client.on('synced', l));
    release();
    await synced;
    const ack = await queued.acked;
    await vi.waitFor(() => expect(received.map((m) => m.id)).toContain(ack.id));

    const ids = received.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    // live messages (here: the re-sent one) may arrive between two resume pages
    expect([...ids].sort((a, b) => a - b)).toEqual([firstId, ...missed, ack.id]);
    expect(received.find((m) => m.id === ack.id)).toMatchObject({ content: 'sent while down', user_id: alice.id });
    expect(sockets).toHaveLength(2);
    expect(client.unacked).toEqual([]);
    client.close();
    await bobSocket.close();
  });

  it('a retried client_id is stored once and gets the original ack', async () => {
    const { CookieWebSocket } = cookieSocket(alice.cookie);
    const client = new ChatClient({ url: server.wsUrl, WebSocket: CookieWebSocket });
    const opened = nextEvent((l) => client.on('open', l));
    client.connect();
    await opened;
    const first = await client.sendChatMessage('only once', 'fixed-id-1').acked;
    const acks: number[] = [];
    client.on('ack', (a) => acks.push(a.id));
    client.send({ type: 'chat_message', content: 'only once', client_id: 'fixed-id-1' });
    await vi.waitFor(() => expect(acks).toEqual([first.id]));
    const page = await client.requestHistory({ limit: 50 });
    expect(page.messages.filter((m) => m.content === 'only once')).toHaveLength(1);
    client.close();
  });

  it('logout closes the socket with 4401: session_ended, no reconnect', async () => {
    const { CookieWebSocket, sockets } = cookieSocket(alice.cookie);
    const client = new ChatClient({
      url: server.wsUrl,
      WebSocket: CookieWebSocket,
      backoff: { initialMs: 10, maxMs: 10 },
    });
    const reconnecting = vi.fn();
    client.on('reconnecting', reconnecting);
    const opened = nextEvent((l) => client.on('open', l));
    client.connect();
    await opened;
    const ended = nextEvent((l) => client.on('session_ended', l));
    expect((await postJson(server.baseUrl, '/api/auth/logout', undefined, { cookie: alice.cookie })).status).toBe(204);
    expect(await ended).toMatchObject({ code: 4401, unsent: [] });
    expect(client.state).toBe('session_ended');
    expect(reconnecting).not.toHaveBeenCalled();
    expect(sockets).toHaveLength(1);
  });
});

describe('ChatClient with presence_changes', () => {
  const server = useChatApp({ env: { CHAT_PRESENCE_TICK_MS: '20' } });

  it('negotiates presence_changes, keeps count and list from online_page and presence frames', async () => {
    const [carol, dave] = await Promise.all([registerAndLogin(server.baseUrl), registerAndLogin(server.baseUrl)]);
    const { CookieWebSocket } = cookieSocket(carol.cookie);
    const client = new ChatClient({
      url: server.wsUrl,
      WebSocket: CookieWebSocket,
      capabilities: ['presence_changes'],
    });
    const firstPage = nextEvent<OnlinePageFrame>((l) => client.on('online_page', l));
    client.connect();
    expect((await firstPage).users).toContainEqual({ id: carol.id, nickname: carol.nickname });
    const joined = nextEvent<PresenceFrame>(
      (l) => client.on('presence', l),
      (f) => f.joined.some((u) => u.id === dave.id),
    );
    const other = await TestSocket.connect(server.wsUrl, dave.cookie);
    await joined;
    expect(client.online.users.get(dave.id)).toBe(dave.nickname);
    expect(client.online.count).toBe(client.online.users.size);
    const left = nextEvent<PresenceFrame>(
      (l) => client.on('presence', l),
      (f) => f.left.some((u) => u.id === dave.id),
    );
    await other.close();
    await left;
    expect(client.online.users.has(dave.id)).toBe(false);
    expect(client.online.complete).toBe(true);
    client.close();
  });
});
