import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MessageStore, NewMessage } from '../../src/chat/history/message.store.js';
import { UNREAD_COUNT_LIMIT } from '../../src/chat/reads/conversation-index.js';
import type { MessageStoreSubject } from './message-store.contract.js';

const ALICE = 1;
const BOB = 2;
const CAROL = 3;
const DAN = 4;

let clock = 1_800_000_000_000;
function msg(senderId: number, recipientId: number | null, content = 'x'): NewMessage {
  clock += 1;
  return { senderId, senderNickname: `user${senderId}`, recipientId, content, createdAt: clock, clientId: null };
}

/** The guarantees of `ConversationIndex` and `RoomReadIndex` (see their doc comments), for every message store. */
export function conversationIndexContract(subject: MessageStoreSubject): void {
  describe(`ConversationIndex contract: ${subject.name}`, () => {
    let store: MessageStore;
    let secondWriter: MessageStore;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, secondWriter, cleanup } = await subject.open());
    });
    afterEach(async () => {
      await cleanup();
    });

    const send = async (writer: MessageStore, from: number, to: number | null) =>
      (await writer.append(msg(from, to))).message;

    it('lists only the partners of private messages, most recent first, in pages', async () => {
      const toBob = await send(store, ALICE, BOB);
      const fromCarol = await send(secondWriter, CAROL, ALICE);
      await send(store, DAN, null); // the public room makes no conversation
      await send(store, BOB, CAROL); // nor does a conversation of others
      const toDan = await send(secondWriter, ALICE, DAN);
      const again = await send(store, BOB, ALICE);

      const all = await store.conversationPage({ viewerId: ALICE, limit: 10 });
      expect(all.hasMore).toBe(false);
      expect(all.conversations.map((c) => [c.partnerId, c.lastMessageId, c.lastMessageAt])).toEqual([
        [BOB, again.id, again.createdAt],
        [DAN, toDan.id, toDan.createdAt],
        [CAROL, fromCarol.id, fromCarol.createdAt],
      ]);
      expect(toBob.id).toBeLessThan(again.id);

      const first = await store.conversationPage({ viewerId: ALICE, limit: 2 });
      expect(first.hasMore).toBe(true);
      expect(first.conversations.map((c) => c.partnerId)).toEqual([BOB, DAN]);
      const rest = await store.conversationPage({ viewerId: ALICE, beforeId: toDan.id, limit: 2 });
      expect(rest).toMatchObject({ hasMore: false, conversations: [{ partnerId: CAROL }] });
      expect(await store.conversationPage({ viewerId: 99, limit: 5 })).toEqual({ conversations: [], hasMore: false });
    });

    it('counts the partner’s messages after the read position as unread, never one’s own or deleted ones', async () => {
      const one = await send(store, BOB, ALICE);
      await send(store, ALICE, BOB);
      const two = await send(secondWriter, BOB, ALICE);
      const three = await send(store, BOB, ALICE);
      await store.remove({ id: three.id, deletedAt: clock });
      const [forAlice] = (await store.conversationPage({ viewerId: ALICE, limit: 1 })).conversations;
      expect(forAlice).toMatchObject({ partnerId: BOB, readId: 0, unread: 2 });
      const [forBob] = (await store.conversationPage({ viewerId: BOB, limit: 1 })).conversations;
      expect(forBob).toMatchObject({ partnerId: ALICE, unread: 1 });

      expect(await store.markConversationRead({ userId: ALICE, partnerId: BOB, messageId: one.id })).toMatchObject({
        partnerId: BOB,
        readId: one.id,
        unread: 1,
      });
      expect(
        await secondWriter.markConversationRead({ userId: ALICE, partnerId: BOB, messageId: two.id }),
      ).toMatchObject({ readId: two.id, unread: 0 });
      // bob's side is his own
      expect((await store.conversationPage({ viewerId: BOB, limit: 1 })).conversations[0].unread).toBe(1);
    });

    it('never moves a read position backwards nor past the last message; none without a conversation', async () => {
      const one = await send(store, BOB, ALICE);
      const two = await send(store, BOB, ALICE);
      await store.markConversationRead({ userId: ALICE, partnerId: BOB, messageId: two.id });
      const back = await store.markConversationRead({ userId: ALICE, partnerId: BOB, messageId: one.id });
      expect(back).toMatchObject({ readId: two.id, unread: 0 });
      const ahead = await store.markConversationRead({ userId: ALICE, partnerId: BOB, messageId: two.id + 1000 });
      expect(ahead?.readId).toBe(two.id);
      const three = await send(secondWriter, BOB, ALICE);
      const [entry] = (await store.conversationPage({ viewerId: ALICE, limit: 1 })).conversations;
      expect(entry).toMatchObject({ lastMessageId: three.id, readId: two.id, unread: 1 });
      expect(await store.markConversationRead({ userId: ALICE, partnerId: CAROL, messageId: 1 })).toBeNull();
    });

    it('keeps a read position per room: others’ messages after it are unread, never backwards nor past the last', async () => {
      const inRoom = async (writer: MessageStore, from: number, room: string) =>
        (await writer.append({ ...msg(from, null), room })).message;
      const empty = await store.roomReadStates({ userId: ALICE, rooms: ['news', 'lobby'] });
      expect(empty).toEqual([
        { room: 'news', lastMessageId: 0, lastMessageAt: null, readId: 0, unread: 0, mentions: 0 },
        { room: 'lobby', lastMessageId: 0, lastMessageAt: null, readId: 0, unread: 0, mentions: 0 },
      ]);
      const one = await inRoom(store, BOB, 'news');
      await inRoom(store, ALICE, 'news'); // one's own message is never unread
      const lobby = await send(store, CAROL, null);
      const two = await inRoom(secondWriter, CAROL, 'news');
      const deleted = await inRoom(store, BOB, 'news');
      await store.remove({ id: deleted.id, deletedAt: clock });
      const [news, lobbyState] = await store.roomReadStates({ userId: ALICE, rooms: ['news', 'lobby'] });
      expect(news).toEqual({
        room: 'news',
        lastMessageId: deleted.id,
        lastMessageAt: deleted.createdAt,
        readId: 0,
        unread: 2,
        mentions: 0,
      });
      expect(lobbyState).toMatchObject({ lastMessageId: lobby.id, unread: 1 });

      expect(await store.markRoomRead({ userId: ALICE, room: 'news', messageId: one.id })).toMatchObject({
        readId: one.id,
        unread: 1,
      });
      expect(await secondWriter.markRoomRead({ userId: ALICE, room: 'news', messageId: 1 })).toMatchObject({
        readId: one.id,
      });
      expect(await store.markRoomRead({ userId: ALICE, room: 'news', messageId: two.id + 1000 })).toMatchObject({
        readId: deleted.id,
        unread: 0,
      });
      expect((await store.roomReadStates({ userId: BOB, rooms: ['news'] }))[0]).toMatchObject({ readId: 0, unread: 2 });
      expect(await store.markRoomRead({ userId: ALICE, room: 'quiet', messageId: 5 })).toMatchObject({ readId: 0 });
    });

    it('stores the users a message mentions and counts the unread mentions per room and conversation', async () => {
      const plain = (await store.append(msg(BOB, null))).message;
      expect(plain.mentions).toBeUndefined();
      expect((await store.find(plain.id))?.mentions).toBeUndefined();
      const inNews = (
        await store.append({ ...msg(BOB, null, 'hey @alice @carol'), room: 'news', mentions: [ALICE, CAROL] })
      ).message;
      const privately = (await secondWriter.append({ ...msg(BOB, ALICE, '@alice look'), mentions: [ALICE] })).message;
      expect((await store.find(inNews.id))?.mentions).toEqual([ALICE, CAROL]);
      const page = await store.history({ viewerId: ALICE, withUserId: BOB, limit: 5 });
      expect(page.messages.map((m) => m.mentions)).toEqual([[ALICE]]);
      const resumed = await store.since({ viewerId: ALICE, sinceId: 0, limit: 10, rooms: ['news'] });
      expect(resumed.messages.map((m) => m.mentions)).toEqual([[ALICE, CAROL], [ALICE]]);

      expect((await store.roomReadStates({ userId: ALICE, rooms: ['news', 'lobby'] })).map((r) => r.mentions)).toEqual([
        1, 0,
      ]);
      expect((await store.conversationPage({ viewerId: ALICE, limit: 1 })).conversations[0].mentions).toBe(1);
      expect((await store.markRoomRead({ userId: ALICE, room: 'news', messageId: inNews.id })).mentions).toBe(0);
      expect((await store.roomReadStates({ userId: CAROL, rooms: ['news'] }))[0].mentions).toBe(1);
      expect(
        (await store.markConversationRead({ userId: ALICE, partnerId: BOB, messageId: privately.id }))?.mentions,
      ).toBe(0);
    });

    it('stops counting past the unread limit', async () => {
      for (let i = 0; i < UNREAD_COUNT_LIMIT + 5; i++) await store.append(msg(BOB, ALICE));
      for (let i = 0; i < UNREAD_COUNT_LIMIT + 5; i++) await store.append({ ...msg(BOB, null), room: 'news' });
      const [entry] = (await store.conversationPage({ viewerId: ALICE, limit: 1 })).conversations;
      expect(entry.unread).toBe(UNREAD_COUNT_LIMIT + 1);
      const [news] = await store.roomReadStates({ userId: ALICE, rooms: ['news'] });
      expect(news.unread).toBe(UNREAD_COUNT_LIMIT + 1);
    });
  });
}
