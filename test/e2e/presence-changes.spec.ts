import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PresenceFrame, PublicUser } from '../../src/chat/protocol/frames.js';
import { registerAndLogin, TestUser } from '../support/http-client.js';
import { startTestApp, TestApp } from '../support/test-app.js';
import { TestSocket } from '../support/ws-client.js';
import { useChatApp } from '../support/chat-app.js';

/** Opens a socket that negotiates `presence_changes` and waits for its first `online_page`. */
async function connectWithChanges(server: TestApp, user: TestUser): Promise<TestSocket> {
  const socket = await TestSocket.open(`${server.wsUrl}?caps=presence_changes`, { cookie: user.cookie });
  await socket.nextOfType('online_page');
  return socket;
}

/** Applies every `presence` frame received so far to `known`, as a client does. */
function applyChanges(socket: TestSocket, known: Map<number, string>): void {
  for (const frame of socket.framesOfType('presence')) {
    for (const user of frame.joined) known.set(user.id, user.nickname);
    for (const user of frame.left) known.delete(user.id);
  }
}

/** Sends a message from `from` and waits until `watcher` has it: everything queued before it has arrived. */
async function sentinel(from: TestSocket, watcher: TestSocket, tag: string): Promise<void> {
  from.send({ type: 'chat_message', content: tag });
  await watcher.next((f) => f.type === 'chat_message' && f.content === tag);
}

describe('presence_changes: count, pages and one coalesced frame per tick', () => {
  let server: TestApp;
  let watcherUser: TestUser;

  beforeAll(async () => {
    server = await startTestApp(
      { CHAT_PRESENCE_TICK_MS: '50', CHAT_RATE_LIMIT: 'off', AUTH_REGISTER_RATE_PER_IP: 'off' },
      { overrides: { presenceChangesPerFrame: 8 } },
    );
    watcherUser = await registerAndLogin(server.baseUrl);
  });
  afterAll(() => server.close());

  it('gets a first online_page instead of online_users, then presence frames instead of user_joined/user_left', async () => {
    const watcher = await connectWithChanges(server, watcherUser);
    const first = watcher.framesOfType('online_page')[0];
    expect(first.count).toBe(first.users.length);
    const known = new Map(first.users.map((u) => [u.id, u.nickname]));
    const user = await registerAndLogin(server.baseUrl);
    const other = await TestSocket.connect(server.wsUrl, user.cookie);
    const joined = await watcher.next<PresenceFrame>(
      (f) => f.type === 'presence' && f.joined.some((u) => u.id === user.id),
    );
    applyChanges(watcher, known);
    expect(joined.overflow).toBe(false);
    expect(joined.count).toBe(known.size);
    await other.close();
    const left = await watcher.next<PresenceFrame>(
      (f) => f.type === 'presence' && f.left.some((u) => u.id === user.id),
    );
    known.clear();
    for (const u of first.users) known.set(u.id, u.nickname);
    applyChanges(watcher, known);
    expect(known.has(user.id)).toBe(false);
    expect(left.count).toBe(known.size);
    const seed = await TestSocket.connect(server.wsUrl, (await registerAndLogin(server.baseUrl)).cookie);
    await sentinel(seed, watcher, 'after presence');
    expect(watcher.frames.filter((f) => f.type === 'user_joined' || f.type === 'user_left')).toEqual([]);
    expect(watcher.frames.filter((f) => f.type === 'online_users')).toEqual([]);
    await Promise.all([watcher.close(), seed.close()]);
  });

  it('coalesces a burst of joins into fewer frames that list each user once, with the exact count', async () => {
    const watcher = await connectWithChanges(server, watcherUser);
    const first = watcher.framesOfType('online_page')[0];
    expect(first.has_more).toBe(false);
    const users = await Promise.all([1, 2, 3, 4, 5, 6].map(() => registerAndLogin(server.baseUrl)));
    const sockets = await Promise.all(users.map((u) => TestSocket.connect(server.wsUrl, u.cookie)));
    const known = new Map(first.users.map((u) => [u.id, u.nickname]));
    let last: PresenceFrame;
    do {
      last = await watcher.nextOfType('presence');
      for (const user of last.joined) known.set(user.id, user.nickname);
      for (const user of last.left) known.delete(user.id);
    } while (!users.every((u) => known.has(u.id)));
    expect(last.count).toBe(known.size);
    for (const u of users) expect(known.get(u.id)).toBe(u.nickname);
    const listed = watcher.framesOfType('presence').flatMap((f) => f.joined.map((u) => u.id));
    expect(listed.length).toBe(new Set(listed).size);
    expect(watcher.framesOfType('presence').length).toBeLessThan(users.length);
    await Promise.all([...sockets.map((s) => s.close()), watcher.close()]);
  });

  it('online_page pages through every online user by id, with the count', async () => {
    const users = await Promise.all([1, 2, 3, 4, 5].map(() => registerAndLogin(server.baseUrl)));
    const sockets = await Promise.all(users.map((u) => TestSocket.connect(server.wsUrl, u.cookie)));
    const watcher = await connectWithChanges(server, watcherUser);
    const seen: PublicUser[] = [];
    let after = 0;
    for (;;) {
      watcher.send({ type: 'online_page', after, limit: 2 });
      const page = await watcher.nextOfType('online_page');
      expect(page.users.length).toBeLessThanOrEqual(2);
      seen.push(...page.users);
      if (!page.has_more) {
        expect(page.count).toBe(seen.length);
        break;
      }
      after = page.users[page.users.length - 1].id;
    }
    const ids = seen.map((u) => u.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    for (const u of [...users, watcherUser]) expect(ids).toContain(u.id);
    watcher.send({ type: 'online_page', limit: 501 });
    expect(await watcher.nextOfType('error')).toMatchObject({ code: 'invalid_message', ref: 'online_page' });
    await Promise.all([...sockets.map((s) => s.close()), watcher.close()]);
  });

  it('a client offering an unknown capability only gets the seed protocol', async () => {
    const socket = await TestSocket.open(`${server.wsUrl}?caps=no_such_thing`, { cookie: watcherUser.cookie });
    await socket.nextOfType('online_users');
    await socket.close();
  });
});

describe('presence_changes in a storm (a long tick, so that one tick sees every join)', () => {
  let server: TestApp;
  let watcherUser: TestUser;

  beforeAll(async () => {
    server = await startTestApp(
      { CHAT_PRESENCE_TICK_MS: '2000', CHAT_RATE_LIMIT: 'off', AUTH_REGISTER_RATE_PER_IP: 'off' },
      { overrides: { presenceChangesPerFrame: 3 } },
    );
    watcherUser = await registerAndLogin(server.baseUrl);
  });
  afterAll(() => server.close());

  it('a tick with more changes than one frame lists sends only the exact count (overflow)', async () => {
    const watcher = await connectWithChanges(server, watcherUser);
    const users = await Promise.all(Array.from({ length: 5 }, () => registerAndLogin(server.baseUrl)));
    const sockets = await Promise.all(users.map((u) => TestSocket.open(server.wsUrl, { cookie: u.cookie })));
    // this server's only users: the watcher and the five
    await watcher.next<PresenceFrame>((f) => f.type === 'presence' && f.count === 6);
    expect(watcher.framesOfType('presence').some((f) => f.overflow)).toBe(true);
    for (const frame of watcher.framesOfType('presence')) {
      if (frame.overflow) expect(frame).toMatchObject({ joined: [], left: [] });
      else expect(frame.joined.length + frame.left.length).toBeLessThanOrEqual(3);
    }
    await Promise.all([...sockets.map((s) => s.close()), watcher.close()]);
  });
});

describe('seed clients above the presence list limit', () => {
  const server = useChatApp({
    env: {
      CHAT_PRESENCE_TICK_MS: '20',
      CHAT_PRESENCE_LIST_LIMIT: '3',
      CHAT_RATE_LIMIT: 'off',
      AUTH_REGISTER_RATE_PER_IP: 'off',
    },
  });

  it('get a list cut at the limit with the count and no per-user frames; the full list again once the count falls', async () => {
    const users = await Promise.all([1, 2, 3, 4, 5].map(() => registerAndLogin(server.baseUrl)));
    const watcher = await TestSocket.connect(server.wsUrl, users[0].cookie);
    const first = await TestSocket.connect(server.wsUrl, users[1].cookie);
    await watcher.next((f) => f.type === 'user_joined' && f.user_id === users[1].id);
    const more = await Promise.all(users.slice(2).map((u) => TestSocket.connect(server.wsUrl, u.cookie)));
    const late = more[2];
    // every instance of a cluster learns of every join (through Redis): ask until this one knows all five
    let cut = late.framesOfType('online_users')[0];
    for (let i = 0; i < 8 && cut.count !== 5; i++) {
      late.send({ type: 'join' });
      cut = await late.nextOfType('online_users');
    }
    expect(cut.users.length).toBe(3);
    expect(cut.count).toBe(5);
    await sentinel(late, watcher, 'above the limit');
    // its own and users[1]'s, and at most the third user's (within the limit); none for the 4th and 5th
    expect(watcher.frames.filter((f) => f.type === 'user_joined' || f.type === 'user_left').length).toBeLessThanOrEqual(
      3,
    );
    await Promise.all(more.map((s) => s.close()));
    const full = await watcher.next((f) => f.type === 'online_users');
    expect(full).toEqual({
      type: 'online_users',
      users: [users[0], users[1]].map((u) => ({ id: u.id, nickname: u.nickname })).sort((a, b) => a.id - b.id),
    });
    await first.close();
    await watcher.next((f) => f.type === 'user_left' && f.user_id === users[1].id);
    await watcher.close();
  });
});
