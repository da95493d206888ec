import { describe, expect, it } from 'vitest';
import type { MessageStore, NewMessage, StoredMessage } from '../../src/chat/history/message.store.js';
import { openForEachTest } from '../support/contract-subjects.js';

/**
 * One implementation under test: `open` gives a fresh, empty store and a second writer
 * on the same data (another instance's store in a cluster; the same object for an
 * embedded engine), and a cleanup.
 */
export interface MessageStoreSubject {
  name: string;
  open(): Promise<{ store: MessageStore; secondWriter: MessageStore; cleanup(): Promise<void> }>;
}

const ALICE = 1;
const BOB = 2;
const CAROL = 3;

let clock = 1_700_000_000_000;
function msg(
  senderId: number,
  recipientId: number | null,
  content: string,
  clientId: string | null = null,
): NewMessage {
  clock += 1;
  return { senderId, senderNickname: `user${senderId}`, recipientId, content, createdAt: clock, clientId };
}

/** A message to `room` (a room message naming its room). */
function roomMsg(senderId: number, room: string, content: string): NewMessage {
  return { ...msg(senderId, null, content), room };
}

const ids = (messages: StoredMessage[]) => messages.map((m) => m.id);
const contents = (messages: StoredMessage[]) => messages.map((m) => m.content);

/** The guarantees of `MessageStore` (see its doc comment), for every implementation. */
export function messageStoreContract(subject: MessageStoreSubject): void {
  describe(`MessageStore contract: ${subject.name}`, () => {
    let store: MessageStore;
    let secondWriter: MessageStore;
    openForEachTest(subject.open, (opened) => ({ store, secondWriter } = opened));

    it('stores every field and assigns positive, unique, increasing ids', async () => {
      const a = await store.append(msg(ALICE, null, 'one', 'c1'));
      const b = await store.append(msg(BOB, ALICE, 'two'));
      const c = await secondWriter.append(msg(ALICE, null, 'three'));
      expect(a.duplicate).toBe(false);
      expect(a.message.id).toBeGreaterThan(0);
      expect(b.message.id).toBeGreaterThan(a.message.id);
      expect(c.message.id).toBeGreaterThan(b.message.id);
      expect(a.message).toMatchObject({
        senderId: ALICE,
        senderNickname: 'user1',
        recipientId: null,
        content: 'one',
        clientId: 'c1',
      });
      const page = await store.history({ viewerId: CAROL, withUserId: null, limit: 10 });
      expect(page.messages).toEqual([a.message, c.message]);
      expect(typeof page.messages[0].createdAt).toBe('number');
    });

    it('dedupes by (sender, client_id) only', async () => {
      const first = await store.append(msg(ALICE, null, 'hello', 'same'));
      const again = await secondWriter.append(msg(ALICE, null, 'hello again', 'same'));
      const otherSender = await store.append(msg(BOB, null, 'hello', 'same'));
      const noId1 = await store.append(msg(ALICE, null, 'x'));
      const noId2 = await store.append(msg(ALICE, null, 'x'));
      expect(again).toEqual({ message: first.message, duplicate: true });
      expect(otherSender.duplicate).toBe(false);
      expect(noId1.duplicate || noId2.duplicate).toBe(false);
      expect(noId2.message.id).not.toBe(noId1.message.id);
      const page = await store.history({ viewerId: ALICE, withUserId: null, limit: 50 });
      expect(contents(page.messages)).toEqual(['hello', 'hello', 'x', 'x']);
    });

    it('dedupes concurrent duplicates from several writers: one stored, every caller gets it', async () => {
      const attempts = Array.from({ length: 8 }, (_, i) =>
        (i % 2 === 0 ? store : secondWriter).append(msg(BOB, i % 4 === 0 ? null : ALICE, `try ${i}`, 'retry-1')),
      );
      const results = await Promise.all(attempts);
      expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
      const original = results.find((r) => !r.duplicate)!.message;
      for (const result of results) expect(result.message).toEqual(original);
      const visible = await store.since({ viewerId: BOB, sinceId: 0, limit: 50 });
      expect(ids(visible.messages)).toEqual([original.id]);
    });

    it('pages history backwards with before/limit/has_more, oldest first within a page', async () => {
      const stored: StoredMessage[] = [];
      for (let i = 0; i < 25; i++) stored.push((await store.append(msg(i % 2 ? ALICE : BOB, null, `m${i}`))).message);
      const newest = await store.history({ viewerId: CAROL, withUserId: null, limit: 10 });
      expect(contents(newest.messages)).toEqual(stored.slice(15).map((m) => m.content));
      expect(newest.hasMore).toBe(true);
      const middle = await store.history({
        viewerId: CAROL,
        withUserId: null,
        beforeId: newest.messages[0].id,
        limit: 10,
      });
      expect(ids(middle.messages)).toEqual(ids(stored.slice(5, 15)));
      expect(middle.hasMore).toBe(true);
      const oldest = await store.history({
        viewerId: CAROL,
        withUserId: null,
        beforeId: middle.messages[0].id,
        limit: 10,
      });
      expect(ids(oldest.messages)).toEqual(ids(stored.slice(0, 5)));
      expect(oldest.hasMore).toBe(false);
      const exact = await store.history({ viewerId: CAROL, withUserId: null, beforeId: stored[5].id, limit: 5 });
      expect(exact).toEqual({ messages: stored.slice(0, 5), hasMore: false });
    });

    it('keeps private conversations private and apart from the public room', async () => {
      const pub = (await store.append(msg(ALICE, null, 'public'))).message;
      const ab = (await store.append(msg(ALICE, BOB, 'a to b'))).message;
      const ba = (await secondWriter.append(msg(BOB, ALICE, 'b to a'))).message;
      const ac = (await store.append(msg(ALICE, CAROL, 'a to c'))).message;
      expect((await store.history({ viewerId: ALICE, withUserId: BOB, limit: 10 })).messages).toEqual([ab, ba]);
      expect((await store.history({ viewerId: BOB, withUserId: ALICE, limit: 10 })).messages).toEqual([ab, ba]);
      expect((await store.history({ viewerId: CAROL, withUserId: BOB, limit: 10 })).messages).toEqual([]);
      expect((await store.history({ viewerId: CAROL, withUserId: ALICE, limit: 10 })).messages).toEqual([ac]);
      expect((await store.history({ viewerId: BOB, withUserId: null, limit: 10 })).messages).toEqual([pub]);
    });

    it('replays what a viewer may see since an id, oldest first, in pages', async () => {
      const all: StoredMessage[] = [];
      all.push((await store.append(msg(ALICE, null, 'p1'))).message);
      all.push((await store.append(msg(ALICE, BOB, 'ab'))).message);
      all.push((await store.append(msg(BOB, CAROL, 'bc'))).message);
      all.push((await store.append(msg(CAROL, ALICE, 'ca'))).message);
      all.push((await store.append(msg(BOB, null, 'p2'))).message);
      const forAlice = all.filter((m) => m.recipientId === null || m.senderId === ALICE || m.recipientId === ALICE);
      expect((await store.since({ viewerId: ALICE, sinceId: 0, limit: 500 })).messages).toEqual(forAlice);
      const first = await store.since({ viewerId: ALICE, sinceId: 0, limit: 2 });
      expect(first).toEqual({ messages: forAlice.slice(0, 2), hasMore: true });
      const rest = await store.since({ viewerId: ALICE, sinceId: first.messages[1].id, limit: 2 });
      expect(rest).toEqual({ messages: forAlice.slice(2, 4), hasMore: false });
      const forCarol = await store.since({ viewerId: CAROL, sinceId: all[0].id, limit: 500 });
      expect(contents(forCarol.messages)).toEqual(['bc', 'ca', 'p2']);
    });

    it('a resume from the newest id answers nothing until a writer stores a newer message', async () => {
      const { message: last } = await store.append(msg(ALICE, null, 'last'));
      expect(await store.since({ viewerId: BOB, sinceId: last.id, limit: 50 })).toEqual({
        messages: [],
        hasMore: false,
      });
      const { message: newer } = await secondWriter.append(msg(CAROL, BOB, 'newer'));
      expect(contents((await store.since({ viewerId: BOB, sinceId: last.id, limit: 50 })).messages)).toEqual(['newer']);
      expect((await store.since({ viewerId: BOB, sinceId: newer.id, limit: 50 })).messages).toEqual([]);
    });

    it('runs onStored for new messages only, in id order per conversation across writers', async () => {
      const seen: number[] = [];
      const onStored = async (message: StoredMessage) => {
        // yield a few times so that unordered writers would interleave
        for (let i = 0; i < (message.id % 3) + 1; i++) await new Promise((resolve) => setImmediate(resolve));
        seen.push(message.id);
      };
      const appends = Array.from({ length: 24 }, (_, i) =>
        (i % 2 ? store : secondWriter).append(msg(ALICE, null, `o${i}`, `k${i % 20}`), onStored),
      );
      const results = await Promise.all(appends);
      const stored = results.filter((r) => !r.duplicate).map((r) => r.message.id);
      expect(stored).toHaveLength(20);
      expect(seen).toHaveLength(20);
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
      expect(new Set(seen)).toEqual(new Set(stored));
    });

    it('edits a message in place: history, since and find answer the new content with editedAt', async () => {
      const original = (await store.append(msg(ALICE, null, 'frist'))).message;
      const other = (await store.append(msg(BOB, null, 'untouched'))).message;
      const { addedMentions, ...edited } = (await secondWriter.edit({
        id: original.id,
        content: 'first',
        editedAt: clock + 5,
      }))!;
      expect(addedMentions).toEqual([]);
      expect(edited).toEqual({ ...original, content: 'first', editedAt: clock + 5 });
      expect(await store.find(original.id)).toEqual(edited);
      expect((await store.history({ viewerId: CAROL, withUserId: null, limit: 10 })).messages).toEqual([edited, other]);
      expect((await store.since({ viewerId: CAROL, sinceId: 0, limit: 10 })).messages).toEqual([edited, other]);
      expect(await store.edit({ id: 987654, content: 'nothing', editedAt: clock })).toBeNull();
      expect(await store.find(987654)).toBeNull();
    });

    it('an edit adds the users it mentions to the message and to their unread mentions, never removing one', async () => {
      const room = (await store.append({ ...msg(ALICE, null, 'hi @bob'), mentions: [BOB] })).message;
      const secret = (await store.append(msg(ALICE, CAROL, 'psst'))).message;
      const widened = await secondWriter.edit({
        id: room.id,
        content: 'hi @bob @carol',
        editedAt: clock + 1,
        mentions: [BOB, CAROL],
      });
      expect(widened).toMatchObject({ content: 'hi @bob @carol', mentions: [BOB, CAROL], addedMentions: [CAROL] });
      const narrowed = await store.edit({ id: room.id, content: 'hi', editedAt: clock + 2 });
      expect(narrowed).toMatchObject({ mentions: [BOB, CAROL], addedMentions: [] });
      const racing = await Promise.all([
        store.edit({ id: room.id, content: 'hi @dan', editedAt: clock + 4, mentions: [4] }),
        secondWriter.edit({ id: room.id, content: 'hi @dan!', editedAt: clock + 4, mentions: [4] }),
      ]);
      expect(racing.map((edited) => edited!.addedMentions)).toEqual(expect.arrayContaining([[4], []]));
      expect((await store.find(room.id))!.mentions).toEqual([BOB, CAROL, 4]);
      expect(
        (await store.edit({ id: secret.id, content: 'psst @carol', editedAt: clock + 3, mentions: [CAROL] }))!.mentions,
      ).toEqual([CAROL]);
      expect((await store.roomReadStates({ userId: CAROL, rooms: ['lobby'] }))[0]).toMatchObject({ mentions: 1 });
      expect((await store.conversationPage({ viewerId: CAROL, limit: 1 })).conversations[0]).toMatchObject({
        mentions: 1,
      });
    });

    it('deletes idempotently: a tombstone without content that no edit revives', async () => {
      const message = (await store.append(msg(ALICE, BOB, 'oops'))).message;
      const first = await store.remove({ id: message.id, deletedAt: clock + 1 });
      const tombstone = { ...message, content: '', deletedAt: clock + 1 };
      expect(first).toEqual({ message: tombstone, deleted: true });
      expect(await secondWriter.remove({ id: message.id, deletedAt: clock + 9 })).toEqual({
        message: tombstone,
        deleted: false,
      });
      expect(await store.edit({ id: message.id, content: 'back', editedAt: clock + 10 })).toBeNull();
      expect((await store.history({ viewerId: BOB, withUserId: ALICE, limit: 10 })).messages).toEqual([tombstone]);
      expect((await store.since({ viewerId: ALICE, sinceId: 0, limit: 10 })).messages).toEqual([tombstone]);
      expect(await store.remove({ id: 987654, deletedAt: clock })).toBeNull();
    });

    it('lists changes since a time of messages up to an id, visible to the viewer, in change order', async () => {
      const pub = (await store.append(msg(ALICE, null, 'p'))).message;
      const ab = (await store.append(msg(ALICE, BOB, 'ab'))).message;
      const later = (await store.append(msg(BOB, null, 'later'))).message;
      const base = clock + 100;
      await store.edit({ id: ab.id, content: 'ab!', editedAt: base - 50 }); // before the window
      await store.remove({ id: pub.id, deletedAt: base + 1 });
      await secondWriter.edit({ id: ab.id, content: 'ab!!', editedAt: base + 2 });
      await store.edit({ id: later.id, content: 'later!', editedAt: base + 3 });
      const query = { changedFrom: base, untilId: ab.id, limit: 10 };
      const forBob = await store.changedSince({ ...query, viewerId: BOB });
      expect(forBob.map((m) => [m.id, m.content])).toEqual([
        [pub.id, ''],
        [ab.id, 'ab!!'],
      ]);
      expect(ids(await store.changedSince({ ...query, viewerId: CAROL }))).toEqual([pub.id]);
      expect(ids(await store.changedSince({ ...query, viewerId: BOB, limit: 1 }))).toEqual([ab.id]);
      expect(await store.changedSince({ ...query, viewerId: BOB, changedFrom: base + 3 })).toEqual([]);
    });

    it('keeps each room apart: history per room, lobby for public messages naming none, null for private', async () => {
      const lobby = (await store.append(msg(ALICE, null, 'in lobby'))).message;
      const news1 = (await store.append(roomMsg(BOB, 'news', 'news 1'))).message;
      const dm = (await secondWriter.append(msg(ALICE, BOB, 'private'))).message;
      const staff = (await secondWriter.append(roomMsg(ALICE, 'staff', 'staff 1'))).message;
      const named = (await store.append(roomMsg(CAROL, 'lobby', 'named lobby'))).message;
      const news2 = (await store.append(roomMsg(CAROL, 'news', 'news 2'))).message;
      expect(lobby.room).toBe('lobby');
      expect(named.room).toBe('lobby');
      expect(news1.room).toBe('news');
      expect(dm.room).toBeNull();
      expect(await store.find(staff.id)).toEqual(staff);
      expect((await store.history({ viewerId: CAROL, withUserId: null, limit: 10 })).messages).toEqual([lobby, named]);
      expect((await store.history({ viewerId: CAROL, withUserId: null, room: 'lobby', limit: 10 })).messages).toEqual([
        lobby,
        named,
      ]);
      expect((await store.history({ viewerId: CAROL, withUserId: null, room: 'news', limit: 10 })).messages).toEqual([
        news1,
        news2,
      ]);
      const page = await store.history({
        viewerId: CAROL,
        withUserId: null,
        room: 'news',
        beforeId: news2.id,
        limit: 1,
      });
      expect(page).toEqual({ messages: [news1], hasMore: false });
      expect((await store.history({ viewerId: ALICE, withUserId: null, room: 'none', limit: 10 })).messages).toEqual(
        [],
      );
      expect((await store.history({ viewerId: ALICE, withUserId: BOB, limit: 10 })).messages).toEqual([dm]);
    });

    it('replays since an id the rooms asked for (lobby when none) and the viewer’s private messages', async () => {
      const all: StoredMessage[] = [];
      all.push((await store.append(roomMsg(BOB, 'news', 'n1'))).message);
      all.push((await store.append(msg(ALICE, null, 'p1'))).message);
      all.push((await secondWriter.append(roomMsg(BOB, 'staff', 's1'))).message);
      all.push((await store.append(msg(BOB, ALICE, 'ba'))).message);
      all.push((await store.append(roomMsg(CAROL, 'news', 'n2'))).message);
      all.push((await store.append(msg(BOB, CAROL, 'bc'))).message);
      expect(contents((await store.since({ viewerId: ALICE, sinceId: 0, limit: 50 })).messages)).toEqual(['p1', 'ba']);
      const withNews = await store.since({ viewerId: ALICE, sinceId: 0, limit: 50, rooms: ['lobby', 'news'] });
      expect(withNews.messages).toEqual(all.filter((m) => ['n1', 'p1', 'ba', 'n2'].includes(m.content)));
      const paged = await store.since({ viewerId: ALICE, sinceId: all[0].id, limit: 2, rooms: ['news', 'lobby'] });
      expect(paged).toEqual({ messages: [all[1], all[3]], hasMore: true });
      const onlyStaff = await store.since({ viewerId: CAROL, sinceId: 0, limit: 50, rooms: ['staff'] });
      expect(contents(onlyStaff.messages)).toEqual(['s1', 'bc']);
    });

    it('lists changes of the rooms asked for (lobby when none) and of the viewer’s private messages', async () => {
      const pub = (await store.append(msg(ALICE, null, 'p'))).message;
      const news = (await store.append(roomMsg(ALICE, 'news', 'n'))).message;
      const ab = (await store.append(msg(ALICE, BOB, 'ab'))).message;
      const base = clock + 100;
      await store.edit({ id: pub.id, content: 'p!', editedAt: base + 1 });
      await secondWriter.edit({ id: news.id, content: 'n!', editedAt: base + 2 });
      await store.remove({ id: ab.id, deletedAt: base + 3 });
      const query = { changedFrom: base, untilId: ab.id, limit: 10 };
      expect(ids(await store.changedSince({ ...query, viewerId: CAROL }))).toEqual([pub.id]);
      expect(ids(await store.changedSince({ ...query, viewerId: CAROL, rooms: ['news'] }))).toEqual([news.id]);
      expect(ids(await store.changedSince({ ...query, viewerId: BOB, rooms: ['lobby', 'news'] }))).toEqual([
        pub.id,
        news.id,
        ab.id,
      ]);
    });

    it('runs onStored in id order per room across writers', async () => {
      const seen: number[] = [];
      const onStored = async (message: StoredMessage) => {
        for (let i = 0; i < (message.id % 3) + 1; i++) await new Promise((resolve) => setImmediate(resolve));
        seen.push(message.id);
      };
      const appends = Array.from({ length: 12 }, (_, i) =>
        (i % 2 ? store : secondWriter).append(roomMsg(ALICE, 'news', `r${i}`), onStored),
      );
      await Promise.all(appends);
      expect(seen).toHaveLength(12);
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
    });

    it('answers ping', async () => {
      expect(await store.ping()).toBe(true);
    });
  });
}
