import type { ChatMessageFrame, JoinedFrame } from '../chat/protocol/frames.js';
import { putRoom, TEST_ADMIN_TOKEN } from '../../test/support/admin-client.js';
import { useChatApp } from '../../test/support/chat-app.js';
import { cookieSocket, nextEvent } from '../../test/support/typed-client-sockets.js';
import { registerAndLogin, uniqueNickname, type TestUser } from '../../test/support/http-client.js';
import { ChatRequestError } from './chat-client.errors.js';
import { ChatClient } from './chat-client.js';

/** The typed client in rooms, with read state and user search, against the real server. */
describe('ChatClient in rooms against the real server', () => {
  const server = useChatApp({ users: 2, env: { ADMIN_TOKEN: TEST_ADMIN_TOKEN, CHAT_RATE_LIMIT: 'off' } });
  const crew = `crew-${process.pid}`;
  let alice: TestUser, bob: TestUser;
  const clients: ChatClient[] = [];

  beforeAll(async () => {
    [alice, bob] = server.users;
    await putRoom(server.baseUrl, crew, { title: 'Crew', members: [alice.id, bob.id] });
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
  });

  /** A connected client of `user`; each reconnect first waits for `gate()`. */
  async function openClient(user: TestUser, gate: () => Promise<void> = async () => undefined) {
    const { CookieWebSocket, sockets } = cookieSocket(user.cookie);
    const client = new ChatClient({
      url: server.wsUrl,
      WebSocket: CookieWebSocket,
      backoff: { initialMs: 20, maxMs: 50 },
      checkSession: async () => {
        await gate();
        return true;
      },
    });
    clients.push(client);
    const received: ChatMessageFrame[] = [];
    client.on('chat_message', (m) => received.push(m));
    const opened = nextEvent((l) => client.on('open', l));
    client.connect();
    await opened;
    return { client, sockets, received };
  }

  it('joins a room, sends and receives there, and reads its history page, which names the room', async () => {
    const a = await openClient(alice);
    const b = await openClient(bob);
    expect(await a.client.joinRoom(crew)).toEqual<JoinedFrame>({
      type: 'joined',
      room: crew,
      title: 'Crew',
      post: true,
      moderate: false,
    });
    await b.client.joinRoom(crew);
    expect(a.client.rooms).toEqual([crew]);

    const ack = await a.client.sendChatMessage('hello crew', { room: crew }).acked;
    await vi.waitFor(() => expect(b.received.find((m) => m.id === ack.id)).toMatchObject({ room: crew }));
    const lobbyAck = await a.client.sendChatMessage('hello lobby', 'lobby-message-1').acked;
    await vi.waitFor(() => expect(b.received.find((m) => m.id === lobbyAck.id)).toBeDefined());
    expect(b.received.find((m) => m.id === lobbyAck.id)).not.toHaveProperty('room');

    const typing = nextEvent((l) => b.client.on('typing', l));
    expect(a.client.sendTyping({ room: crew }, true)).toBe(true);
    expect(await typing).toMatchObject({ room: crew, user_id: alice.id, active: true });

    const page = await b.client.requestHistory({ room: crew, limit: 5 });
    expect(page.room).toBe(crew);
    expect(page.messages.map((m) => m.id)).toEqual([ack.id]);
    const lobbyPage = await b.client.requestHistory({ limit: 5 });
    expect(lobbyPage).not.toHaveProperty('room');
    expect(lobbyPage.messages.map((m) => m.id)).toContain(lobbyAck.id);

    expect(await a.client.leaveRoom(crew)).toEqual({ type: 'left', room: crew });
    expect(a.client.rooms).toEqual([]);
  });

  it('refuses a room it may not read: the promise rejects with not_found and the room is not followed', async () => {
    const a = await openClient(alice);
    const refused = await a.client.joinRoom(`nowhere-${process.pid}`).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ChatRequestError);
    expect((refused as ChatRequestError).frame).toMatchObject({ code: 'not_found', ref: 'join' });
    expect(a.client.rooms).toEqual([]);
  });

  it('stops joining a room the forum took away: left with reason access drops it from rooms', async () => {
    const closed = `closed-${process.pid}`;
    await putRoom(server.baseUrl, closed, { title: 'Closed', members: [alice.id] });
    const a = await openClient(alice);
    await a.client.joinRoom(closed);
    const left = nextEvent((l) => a.client.on('left', l));
    await putRoom(server.baseUrl, closed, { title: 'Closed', members: [bob.id] });
    expect(await left).toEqual({ type: 'left', room: closed, reason: 'access' });
    expect(a.client.rooms).toEqual([]);
  });

  it('lists rooms with unread counts and marks a room and a private conversation read', async () => {
    const a = await openClient(alice);
    const b = await openClient(bob);
    const last = await a.client.sendChatMessage('unread for bob', { room: crew }).acked;
    const before = await b.client.requestRooms();
    expect(before.rooms[0].id).toBe('lobby');
    expect(before.rooms.find((r) => r.id === crew)).toMatchObject({ title: 'Crew', last_message_id: last.id });
    expect(before.rooms.find((r) => r.id === crew)!.unread).toBeGreaterThan(0);

    expect(await b.client.markRead({ room: crew }, last.id)).toMatchObject({
      type: 'read',
      room: crew,
      id: last.id,
      unread: 0,
    });
    const after = await b.client.requestRooms();
    expect(after.rooms.find((r) => r.id === crew)).toMatchObject({ read_id: last.id, unread: 0 });

    const privateAck = await a.client.sendPrivateMessage(bob.id, 'psst').acked;
    const conversations = await b.client.requestConversationPage({ limit: 1 });
    expect(conversations.users[0]).toMatchObject({ id: alice.id, last_message_id: privateAck.id, unread: 1 });
    expect(conversations.has_more).toBe(false);
    expect(await b.client.requestConversations()).toEqual(conversations.users);
    expect(await b.client.markRead({ with: alice.id }, privateAck.id)).toMatchObject({
      type: 'read',
      with: alice.id,
      id: privateAck.id,
      unread: 0,
    });
  });

  it('searches users by nickname prefix, page by page', async () => {
    const tag = uniqueNickname('finder');
    const found = [];
    for (const suffix of ['a', 'b', 'c']) found.push(await registerAndLogin(server.baseUrl, `${tag}${suffix}`));
    const a = await openClient(alice);
    const first = await a.client.searchUsers(tag.toUpperCase());
    expect(first).toMatchObject({ type: 'users', prefix: tag.toUpperCase(), has_more: false });
    expect(first.users).toEqual(found.map((u) => ({ id: u.id, nickname: u.nickname })));
    const next = await a.client.searchUsers(tag, found[0].nickname);
    expect(next.users.map((u) => u.id)).toEqual([found[1].id, found[2].id]);
  });

  it('joins its rooms again after a forced reconnect, before resuming: nothing of the room is missed', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const a = await openClient(alice, () => held);
    const b = await openClient(bob);
    await a.client.joinRoom(crew);
    const disconnected = nextEvent((l) => a.client.on('disconnected', l));
    a.sockets[0].terminate();
    await disconnected;
    const rejoined = nextEvent<JoinedFrame>((l) => a.client.on('joined', l));
    const synced = nextEvent((l) => a.client.on('synced', l));
    const missed = await b.client.sendChatMessage('while alice was away', { room: crew }).acked;
    expect(a.received.map((m) => m.id)).not.toContain(missed.id);
    release();
    await rejoined;
    await synced;
    expect(a.sockets).toHaveLength(2);
    expect(a.client.rooms).toEqual([crew]);
    await vi.waitFor(() => expect(a.received.map((m) => m.id)).toContain(missed.id));

    const live = await b.client.sendChatMessage('after the reconnect', { room: crew }).acked;
    await vi.waitFor(() => expect(a.received.find((m) => m.id === live.id)).toMatchObject({ room: crew }));
  });
});
