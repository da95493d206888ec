import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

/** The page's plain-JS modules (no type declarations: loaded by path, typed here by use). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const load = (name: string): Promise<any> => import(new URL(`../../public/js/${name}`, import.meta.url).href);

interface Entry {
  id: number;
  nickname: string;
  online: boolean;
  last_message_at: string | null;
}

describe('sortConversations', () => {
  it('puts the most recent private conversation first, then the rest by lower-cased nickname', async () => {
    const { sortConversations } = await load('conversations.js');
    const entries: Entry[] = [
      { id: 1, nickname: 'zed', online: false, last_message_at: null },
      { id: 2, nickname: 'Bea', online: true, last_message_at: '2026-01-01T10:00:00.000Z' },
      { id: 3, nickname: 'amy', online: false, last_message_at: null },
      { id: 4, nickname: 'Carl', online: false, last_message_at: '2026-01-02T09:00:00.000Z' },
      { id: 5, nickname: 'Anna', online: false, last_message_at: null },
    ];
    expect(sortConversations(entries).map((e: Entry) => e.nickname)).toEqual(['Carl', 'Bea', 'amy', 'Anna', 'zed']);
  });

  it('keys a private message by the other user, whoever sent it', async () => {
    const { keyOfMessage, PUBLIC } = await load('conversations.js');
    expect(keyOfMessage({ type: 'private_message', user_id: 7, to: 3 }, 3)).toBe('u/7');
    expect(keyOfMessage({ type: 'private_message', user_id: 3, to: 7 }, 3)).toBe('u/7');
    expect(keyOfMessage({ type: 'chat_message', user_id: 7 }, 3)).toBe(PUBLIC);
  });
});

describe('MessageStore', () => {
  it('holds each id once per conversation and knows the oldest', async () => {
    const { MessageStore } = await load('message-store.js');
    const store = new MessageStore();
    expect(store.add('public', { id: 5 })).toBe(true);
    expect(store.add('public', { id: 2 })).toBe(true);
    expect(store.add('public', { id: 5 })).toBe(false);
    expect(store.sorted('public').map((m: { id: number }) => m.id)).toEqual([2, 5]);
    expect(store.oldestId('public')).toBe(2);
    expect(store.has(5)).toBe(true);
    expect(store.oldestId('u/1')).toBeUndefined();
  });
});

describe('attachScrollBack', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function fakeScroller(scrollTop: number) {
    const target = new EventTarget() as EventTarget & { scrollTop: number };
    target.scrollTop = scrollTop;
    return target;
  }
  const scrollTo = (scroller: { scrollTop: number } & EventTarget, top: number) => {
    scroller.dispatchEvent(new Event('wheel'));
    scroller.scrollTop = top;
    scroller.dispatchEvent(new Event('scroll'));
  };

  it('a fast scroll to the top fires one request, none while it is pending', async () => {
    const { attachScrollBack } = await load('scroll-back.js');
    const scroller = fakeScroller(1000);
    let finish!: () => void;
    const load_ = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    attachScrollBack(scroller, { canLoad: () => true, load: load_, cooldownMs: 300 });
    for (let top = 900; top >= 0; top -= 10) scrollTo(scroller, top);
    for (let i = 0; i < 20; i++) scrollTo(scroller, 10 - (i % 2));
    expect(load_).toHaveBeenCalledOnce();
    finish();
    await vi.advanceTimersByTimeAsync(0);
    scrollTo(scroller, 5); // still at the top, but inside the cooldown: deferred, not dropped
    expect(load_).toHaveBeenCalledOnce();
    await vi.advanceTimersByTimeAsync(300);
    expect(load_).toHaveBeenCalledTimes(2);
  });

  it('ignores downward scrolls and scrolls far from the top, and stops when nothing is older', async () => {
    const { attachScrollBack } = await load('scroll-back.js');
    const scroller = fakeScroller(0);
    let older = true;
    const load_ = vi.fn(async () => undefined);
    attachScrollBack(scroller, { canLoad: () => older, load: load_ });
    scrollTo(scroller, 50); // down (the page jumping to the newest message)
    scrollTo(scroller, 400);
    scrollTo(scroller, 300); // up, but far from the top
    expect(load_).not.toHaveBeenCalled();
    vi.advanceTimersByTime(2_000);
    scroller.scrollTop = 0; // no gesture: focus or the page moved the view
    scroller.dispatchEvent(new Event('scroll'));
    expect(load_).not.toHaveBeenCalled();
    scrollTo(scroller, 200);
    older = false;
    scrollTo(scroller, 0);
    expect(load_).not.toHaveBeenCalled();
  });
});

describe('TypingSender', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('announces typing once, refreshes it while typing goes on, and withdraws it after 3 s idle', async () => {
    const { TypingSender, TYPING_IDLE_MS, TYPING_REFRESH_MS } = await load('typing.js');
    const sent: Array<[number, boolean]> = [];
    const sender = new TypingSender({ sendTyping: (to: number, active: boolean) => (sent.push([to, active]), true) });
    sender.input(7);
    sender.input(7);
    expect(sent).toEqual([[7, true]]);
    vi.advanceTimersByTime(TYPING_REFRESH_MS);
    sender.input(7);
    expect(sent).toEqual([
      [7, true],
      [7, true],
    ]);
    vi.advanceTimersByTime(TYPING_IDLE_MS - 1);
    expect(sent).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sent.at(-1)).toEqual([7, false]);
    sender.stop(); // nothing announced any more: nothing to withdraw
    expect(sent).toHaveLength(3);
  });

  it('withdraws typing from the previous recipient when the conversation changes', async () => {
    const { TypingSender } = await load('typing.js');
    const sent: Array<[number, boolean]> = [];
    const sender = new TypingSender({ sendTyping: (to: number, active: boolean) => (sent.push([to, active]), true) });
    sender.input(7);
    sender.input(8);
    expect(sent).toEqual([
      [7, true],
      [7, false],
      [8, true],
    ]);
  });
});

describe('TypingWatcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('shows a typist until active false, a message from them, or the display timeout', async () => {
    const { TypingWatcher, TYPING_DISPLAY_MS } = await load('typing.js');
    const watcher = new TypingWatcher(() => undefined);
    watcher.update({ user_id: 2, nickname: 'bob', active: true });
    expect(watcher.nicknameOf(2)).toBe('bob');
    watcher.update({ user_id: 2, nickname: 'bob', active: false });
    expect(watcher.nicknameOf(2)).toBeNull();
    watcher.update({ user_id: 2, nickname: 'bob', active: true });
    watcher.clear(2);
    expect(watcher.nicknameOf(2)).toBeNull();
    watcher.update({ user_id: 2, nickname: 'bob', active: true });
    vi.advanceTimersByTime(TYPING_DISPLAY_MS);
    expect(watcher.nicknameOf(2)).toBeNull();
  });
});

describe('tokenize', () => {
  it('links absolute http and https URLs only, without trailing punctuation', async () => {
    const { tokenize } = await load('text.js');
    const tokens = tokenize(
      'a https://x.test/p?q=1. b javascript:alert(1) data:text/html,x www.y.test (http://z.test/a_(b))',
    );
    expect(tokens.filter((t: { type: string }) => t.type === 'link').map((t: { href: string }) => t.href)).toEqual([
      'https://x.test/p?q=1',
      'http://z.test/a_(b)',
    ]);
    expect(tokens.map((t: { text: string }) => t.text).join('')).toBe(
      'a https://x.test/p?q=1. b javascript:alert(1) data:text/html,x www.y.test (http://z.test/a_(b))',
    );
  });

  it('finds mentions, and knows the ones naming the reader', async () => {
    const { tokenize } = await load('text.js');
    const mentions = tokenize('hi @Ann_1 and @bob, not mail@x.test', 'ann_1').filter(
      (t: { type: string }) => t.type === 'mention',
    );
    expect(mentions).toEqual([
      { type: 'mention', text: '@Ann_1', name: 'Ann_1', me: true },
      { type: 'mention', text: '@bob', name: 'bob', me: false },
    ]);
  });

  it('counts code points as the server does', async () => {
    const { codePointLength } = await load('text.js');
    expect(codePointLength('😀😀a')).toBe(3);
    expect('😀😀a'.length).toBe(5);
  });
});

describe('bridgePresence (presence_changes)', () => {
  /** A stand-in of the typed client's presence surface: real `OnlinePresence`, frames dispatched by type. */
  async function fakeClient() {
    const { OnlinePresence } = await import('../../src/client/online-presence.js');
    const listeners = new Map<string, Array<(frame: unknown) => void>>();
    const client = {
      online: new OnlinePresence(),
      pageRequests: [] as Array<number | undefined>,
      on(type: string, listener: (frame: unknown) => void) {
        listeners.set(type, [...(listeners.get(type) ?? []), listener]);
      },
      requestOnlinePage(after?: number) {
        client.pageRequests.push(after);
        return true;
      },
      /** What the real client does with a server frame: apply it to `online`, then emit it. */
      receive(frame: { type: string; [key: string]: unknown }) {
        client.online.apply(frame as never);
        for (const listener of listeners.get(frame.type) ?? []) listener(frame);
      },
    };
    return client;
  }

  async function bridged() {
    const { ChatState } = await load('chat-state.js');
    const { bridgePresence, ONLINE_PAGES_SHOWN } = await load('presence-bridge.js');
    const client = await fakeClient();
    const state = new ChatState({ id: 1, nickname: 'me' });
    const refreshes: number[] = [];
    bridgePresence({ client, state, intents: { refreshConversations: () => refreshes.push(1) } });
    return { client, state, refreshes, ONLINE_PAGES_SHOWN };
  }

  const users = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => ({ id: from + i, nickname: `u${from + i}` }));

  it('reads further pages while there are more, up to the pages it shows, and shows the server count', async () => {
    const { client, state, ONLINE_PAGES_SHOWN } = await bridged();
    for (let page = 0; page < ONLINE_PAGES_SHOWN + 1; page++) {
      client.receive({ type: 'online_page', users: users(page * 2 + 1, page * 2 + 2), count: 5000, has_more: true });
    }
    expect(client.pageRequests).toEqual([2, 4, 6, 8]);
    expect(state.onlineCount).toBe(5000);
    expect(state.online.size).toBe((ONLINE_PAGES_SHOWN + 1) * 2);
  });

  it("applies each tick's changes to the online list and to the conversation entries", async () => {
    const { client, state, refreshes } = await bridged();
    state.setConversations([
      { id: 2, nickname: 'bob', online: true, last_message_at: null },
      { id: 3, nickname: 'cy', online: false, last_message_at: null },
    ]);
    client.receive({ type: 'online_page', users: users(1, 2), count: 2, has_more: false });
    state.typing.update({ user_id: 2, nickname: 'bob', active: true });
    client.receive({
      type: 'presence',
      count: 2,
      joined: [{ id: 3, nickname: 'cy' }],
      left: [{ id: 2, nickname: 'bob' }],
      overflow: false,
    });
    expect([...state.online.keys()].sort()).toEqual([1, 3]);
    expect([state.isOnline(2), state.isOnline(3)]).toEqual([false, true]);
    expect(state.typing.nicknameOf(2)).toBeNull();
    expect(refreshes).toEqual([]);
    client.receive({ type: 'presence', count: 3, joined: [{ id: 9, nickname: 'new' }], left: [], overflow: false });
    expect(refreshes).toEqual([]); // the list holds only users one wrote with: coming online changes nothing there
  });

  it('after an overflow reads the pages and the conversation list again', async () => {
    const { client, state, refreshes } = await bridged();
    client.receive({ type: 'online_page', users: users(1, 2), count: 2, has_more: false });
    client.receive({ type: 'presence', count: 800, joined: [], left: [], overflow: true });
    expect(client.pageRequests).toEqual([undefined]);
    expect(refreshes).toEqual([1]);
    expect(state.onlineCount).toBe(800);
  });
});

describe('ChatState edits and deletions', () => {
  async function stateWithMessage() {
    const { ChatState } = await load('chat-state.js');
    const state = new ChatState({ id: 1, nickname: 'me' });
    const changes: Array<{ kind: string; message?: Record<string, unknown> }> = [];
    state.subscribe((change: { kind: string }) => changes.push(change));
    state.receive({ type: 'chat_message', id: 7, content: 'v1', user_id: 2, nickname: 'bob', timestamp: 'T' });
    return { state, changes: () => changes.filter((c) => c.kind === 'changed').map((c) => c.message) };
  }

  it('shows the later of two edits, whatever order they arrive in', async () => {
    const { state, changes } = await stateWithMessage();
    state.edited({ id: 7, user_id: 2, content: 'v3', edited_at: '2026-01-01T00:00:03.000Z' });
    state.edited({ id: 7, user_id: 2, content: 'v2', edited_at: '2026-01-01T00:00:02.000Z' });
    state.edited({ id: 99, user_id: 2, content: 'not held', edited_at: '2026-01-01T00:00:04.000Z' });
    expect(changes().map((m) => m?.content)).toEqual(['v3']);
    expect(state.messages.find(7).message).toMatchObject({ content: 'v3', edited_at: '2026-01-01T00:00:03.000Z' });
  });

  it('makes a deleted message a tombstone for good: its content gone, later edits ignored', async () => {
    const { state, changes } = await stateWithMessage();
    state.deleted({ id: 7, deleted_at: '2026-01-01T00:00:05.000Z' });
    state.edited({ id: 7, user_id: 2, content: 'too late', edited_at: '2026-01-01T00:00:06.000Z' });
    state.deleted({ id: 7, deleted_at: '2026-01-01T00:00:07.000Z' });
    expect(changes()).toEqual([
      expect.objectContaining({ id: 7, content: '', deleted_at: '2026-01-01T00:00:05.000Z' }),
    ]);
  });

  it('takes the mentions of an edit, and counts a new mention of an unread message', async () => {
    const { state, changes } = await stateWithMessage();
    state.setRooms([
      {
        id: 'lobby',
        title: 'Lobby',
        post: true,
        moderate: false,
        last_message_id: 6,
        read_id: 6,
        unread: 0,
        mentions: 0,
      },
    ]);
    expect(state.unread.get('public')).toMatchObject({ count: 1, mentions: 0 }); // message 7, held, came after
    state.edited({
      id: 7,
      user_id: 2,
      content: 'v2 @me',
      edited_at: '2026-01-01T00:00:02.000Z',
      mentions: [1],
      new_mentions: [1],
    });
    expect(changes()).toEqual([expect.objectContaining({ id: 7, mentions: [1] })]);
    expect(state.unread.get('public')).toMatchObject({ count: 1, mentions: 1 });
  });

  it("turns a held message listed in a history page's deleted ids into a tombstone", async () => {
    const { state, changes } = await stateWithMessage();
    state.addHistory('public', { messages: [], has_more: false, deleted: [7] }, false);
    expect(changes()).toEqual([expect.objectContaining({ id: 7, content: '' })]);
  });
});

describe('room keys', () => {
  it('keys lobby as the public room, other rooms by id, and reads targets back', async () => {
    const { keyOfMessage, keyOfTarget, keyOfTyping, readTargetOf, roomOfKey } = await load('conversations.js');
    expect(keyOfMessage({ type: 'chat_message', user_id: 2 }, 1)).toBe('public');
    expect(keyOfMessage({ type: 'chat_message', room: 'news', user_id: 2 }, 1)).toBe('r/news');
    expect(keyOfTarget({ room: 'lobby' })).toBe('public');
    expect(keyOfTarget({ with: 4 })).toBe('u/4');
    expect(keyOfTyping({ room: 'news', user_id: 2 })).toBe('r/news');
    expect(keyOfTyping({ user_id: 2 })).toBe('u/2');
    expect(readTargetOf('public')).toEqual({ room: 'lobby' });
    expect(readTargetOf('r/news')).toEqual({ room: 'news' });
    expect(readTargetOf('u/3')).toEqual({ with: 3 });
    expect(roomOfKey('u/3')).toBeNull();
  });
});

describe('UnreadCounts', () => {
  it("takes the server's count and adds only messages it had not counted", async () => {
    const { UnreadCounts } = await load('unread-counts.js');
    const unread = new UnreadCounts();
    // held 11 and 12 arrived after the server counted up to 10
    unread.fromEntry('r/a', { read_id: 5, unread: 3, mentions: 1, last_message_id: 10 }, [
      { id: 9, mentionsMe: false },
      { id: 11, mentionsMe: true },
      { id: 12, mentionsMe: false },
    ]);
    expect(unread.get('r/a')).toMatchObject({ count: 5, mentions: 2, readId: 5, lastId: 12 });
    expect(unread.arrived('r/a', 12, false)).toBe(false); // a replay of one already counted
    expect(unread.arrived('r/a', 13, false)).toBe(true);
    expect(unread.countOf('r/a')).toBe(6);
    expect(unread.seenUpTo('r/a', 13)).toBe(true);
    expect(unread.countOf('r/a')).toBe(0);
    unread.fromRead('r/a', { room: 'a', id: 11, unread: 2, mentions: 0 }, 13); // an older position: ignored
    expect(unread.get('r/a')).toMatchObject({ count: 0, readId: 13 });
    unread.fromRead('r/a', { room: 'a', id: 14, unread: 0, mentions: 0 }, 14); // another tab read further
    expect(unread.get('r/a')).toMatchObject({ count: 0, readId: 14 });
    unread.fromEntry('u/2', { read_id: 0, unread: 99, unread_more: true, mentions: 0, last_message_id: 400 }, []);
    expect(unread.total()).toEqual({ count: 99, more: true });
    expect(unread.total('u/2')).toEqual({ count: 0, more: false });
  });
});

describe('Mutes', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('holds a timed mute for its remaining time on this clock, one until lifted until unmuted', async () => {
    const { Mutes } = await load('mutes.js');
    let changes = 0;
    const mutes = new Mutes(() => (changes += 1));
    mutes.muted({ room: 'lobby', user_id: 1, until: '2000-01-01T00:00:00.000Z', remaining_ms: 5_000 });
    mutes.muted({ room: 'news', user_id: 1, until: null, remaining_ms: null });
    expect(mutes.of('lobby')).toEqual({ endsAt: expect.any(Number) });
    expect(mutes.of('news')).toEqual({ endsAt: null });
    vi.advanceTimersByTime(4_999);
    expect(mutes.of('lobby')).not.toBeNull();
    vi.advanceTimersByTime(1);
    expect(mutes.of('lobby')).toBeNull();
    mutes.unmuted({ room: 'news' });
    expect(mutes.of('news')).toBeNull();
    expect(changes).toBe(4);
  });
});

describe('typing per conversation', () => {
  it('shows a typist in the room they type in only, and words two or more typists', async () => {
    const { TypingWatcher, typingLine } = await load('typing.js');
    const watcher = new TypingWatcher(() => undefined);
    watcher.update({ room: 'news', user_id: 2, nickname: 'bob', active: true }, 'r/news');
    watcher.update({ room: 'news', user_id: 3, nickname: 'cy', active: true }, 'r/news');
    expect(watcher.typistsOf('r/news')).toEqual(['bob', 'cy']);
    expect(watcher.typistsOf('r/other')).toEqual([]);
    expect(watcher.typistsOf('public')).toEqual([]);
    expect(typingLine(['bob'])).toBe('bob is typing…');
    expect(typingLine(['bob', 'cy'])).toBe('bob and cy are typing…');
    expect(typingLine(['a', 'b', 'c'])).toBe('Several people are typing…');
    watcher.clear(2, 'r/news');
    expect(watcher.typistsOf('r/news')).toEqual(['cy']);
    watcher.clear(3);
    expect(watcher.typistsOf('r/news')).toEqual([]);
  });

  it('sends room typing to the room and withdraws it when the room changes', async () => {
    const { TypingSender } = await load('typing.js');
    const sent: Array<[unknown, boolean]> = [];
    const sender = new TypingSender({ sendTyping: (to: unknown, active: boolean) => (sent.push([to, active]), true) });
    sender.input({ room: 'news' });
    sender.input({ room: 'news' });
    sender.input({ room: 'crew' });
    sender.stop();
    expect(sent).toEqual([
      [{ room: 'news' }, true],
      [{ room: 'news' }, false],
      [{ room: 'crew' }, true],
      [{ room: 'crew' }, false],
    ]);
  });
});

describe('ChatState rooms, read state and mutes', () => {
  const lobby = {
    id: 'lobby',
    title: 'Lobby',
    post: true,
    moderate: false,
    last_message_at: null,
    last_message_id: 0,
    read_id: 0,
    unread: 0,
    mentions: 0,
  };
  const news = { ...lobby, id: 'news', title: 'News', last_message_id: 20, read_id: 18, unread: 2, mentions: 1 };

  it("counts unread per room from the server's list, then live messages of unseen rooms", async () => {
    const { ChatState } = await load('chat-state.js');
    const state = new ChatState({ id: 1, nickname: 'me' });
    state.setRooms([lobby, news]);
    expect(state.unread.get('r/news')).toMatchObject({ count: 2, mentions: 1, readId: 18 });
    state.receive({
      type: 'chat_message',
      room: 'news',
      id: 21,
      content: 'hi @me',
      user_id: 2,
      nickname: 'bob',
      timestamp: 'T',
      mentions: [1],
    });
    expect(state.unread.get('r/news')).toMatchObject({ count: 3, mentions: 2 });
    state.applyRead({ type: 'read', room: 'news', id: 21, unread: 0, mentions: 0 });
    expect(state.unread.countOf('r/news')).toBe(0);
  });

  it('a room taken away leaves the list, its unread count and its mute, with a notice', async () => {
    const { ChatState } = await load('chat-state.js');
    const state = new ChatState({ id: 1, nickname: 'me' });
    state.setRooms([lobby, news]);
    state.setFollowing('news', { room: 'news', title: 'News', post: true, moderate: false });
    state.open('r/news');
    state.mutes.muted({ room: 'news', user_id: 1, until: null, remaining_ms: null });
    state.roomTakenAway('news');
    expect(state.rooms.list.map((r: { id: string }) => r.id)).toEqual(['lobby']);
    expect(state.rooms.follows('news')).toBe(false);
    expect(state.mutes.of('news')).toBeNull();
    expect(state.notice.text).toContain('no longer have access to News');
    expect(state.unread.get('r/news')).toBeUndefined();
  });

  it('blocks the composer in a room where the user is muted, or may not post', async () => {
    const { ChatState } = await load('chat-state.js');
    const state = new ChatState({ id: 1, nickname: 'me' });
    state.setRooms([lobby, { ...news, post: false }]);
    expect(state.composerBlock('public')).toBeNull();
    expect(state.composerBlock('r/news')).toEqual({ reason: 'read-only' });
    expect(state.composerBlock('u/2')).toBeNull();
    state.mutes.muted({ room: 'lobby', user_id: 1, until: null, remaining_ms: null });
    expect(state.composerBlock('public')).toEqual({ reason: 'muted', endsAt: null });
    state.mutes.unmuted({ room: 'lobby', user_id: 1 });
    expect(state.composerBlock('public')).toBeNull();
  });
});
