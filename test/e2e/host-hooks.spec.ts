import { Injectable } from '@nestjs/common';
import { EventEmitterModule, OnEvent } from '@nestjs/event-emitter';
import { Test } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChatEvents,
  ChatModule,
  type ChatMessageCreatedEvent,
  type ChatMessageDeletedEvent,
  type ChatMessageEditedEvent,
  type ChatMentionEvent,
  type FilteredMessage,
  type MessageFilter,
} from '../../src/chat/index.js';
import {
  type ChatTestApp,
  type ChatTestCluster,
  startChatCluster,
  startChatTest,
  TestUserDirectory,
} from '../../src/testing/index.js';

const MOD = { id: 10, nickname: 'mod' };
const MEMBER = { id: 11, nickname: 'member' };

/** Everything the host's listeners heard, in order, shared by every instance of a test cluster. */
type Heard = Array<{ name: string; payload: unknown }>;

/** The host's own service, reacting to the chat with ordinary `@OnEvent` handlers. */
@Injectable()
class ChatAudit {
  static heard: Heard = [];

  @OnEvent(ChatEvents.MessageCreated)
  created(event: ChatMessageCreatedEvent) {
    ChatAudit.heard.push({ name: ChatEvents.MessageCreated, payload: event });
  }

  @OnEvent(ChatEvents.MessageEdited)
  edited(event: ChatMessageEditedEvent) {
    ChatAudit.heard.push({ name: ChatEvents.MessageEdited, payload: event });
  }

  @OnEvent(ChatEvents.MessageDeleted, { async: true })
  async deleted(event: ChatMessageDeletedEvent) {
    ChatAudit.heard.push({ name: ChatEvents.MessageDeleted, payload: event });
  }

  @OnEvent(ChatEvents.Mention)
  mentioned(event: ChatMentionEvent) {
    ChatAudit.heard.push({ name: ChatEvents.Mention, payload: event });
  }

  @OnEvent(ChatEvents.MessageCreated)
  failing() {
    throw new Error('a host listener that fails');
  }
}

/** An async spam filter: refuses links, masks a word, lets the rest through. */
const spamFilter: MessageFilter = async (message: FilteredMessage) => {
  await new Promise((resolve) => setImmediate(resolve));
  if (message.content.includes('http://')) return { action: 'reject', reason: 'links are not allowed here' };
  if (message.content.includes('darn')) return { action: 'rewrite', content: message.content.replace(/darn/g, '****') };
  return undefined;
};

function hostBuilder() {
  return Test.createTestingModule({
    imports: [
      EventEmitterModule.forRoot(),
      ChatModule.forRoot({
        userDirectory: new TestUserDirectory([MOD, MEMBER]),
        databaseUrl: 'sqlite::memory:',
        messageFilter: spamFilter,
        rateLimit: null,
      }),
    ],
    providers: [ChatAudit],
  });
}

const named = (name: string) => ChatAudit.heard.filter((event) => event.name === name);

describe('the host’s filter and event listeners', () => {
  let chat: ChatTestApp;

  beforeAll(async () => {
    ChatAudit.heard = [];
    chat = await startChatTest(hostBuilder());
  });
  afterAll(() => chat.close());

  it('a rejected message reaches nobody, is not stored, and the sender sees the reason', async () => {
    const [author, reader] = await Promise.all([chat.connectAs(MEMBER), chat.connectAs(MOD)]);
    author.send({ type: 'chat_message', content: 'buy at http://spam.example', client_id: 'spam-1' });
    expect(await author.expectFrame('error', { ref: 'spam-1' })).toMatchObject({
      code: 'invalid_message',
      message: 'links are not allowed here',
    });
    await reader.expectNoFrame('chat_message', undefined, { after: author });
    reader.send({ type: 'history' });
    expect((await reader.expectFrame('history')).messages).toEqual([]);
    expect(named(ChatEvents.MessageCreated)).toEqual([]);
    await Promise.all([author.close(), reader.close()]);
  });

  it('a rewritten message is stored and delivered rewritten; the host hears it created, edited, deleted', async () => {
    const [author, reader] = await Promise.all([chat.connectAs(MEMBER), chat.connectAs(MOD)]);
    author.send({ type: 'chat_message', content: 'darn it', client_id: 'r1' });
    const { id } = await author.expectFrame('ack', { client_id: 'r1' });
    expect(await reader.expectFrame('chat_message', { id })).toMatchObject({ content: '**** it' });
    author.send({ type: 'edit_message', id, content: 'darn darn' });
    expect(await reader.expectFrame('message_edited', { id })).toMatchObject({ content: '**** ****' });
    author.send({ type: 'edit_message', id, content: 'see http://spam.example' });
    expect(await author.expectFrame('error')).toMatchObject({ message: 'links are not allowed here' });
    author.send({ type: 'delete_message', id });
    await reader.expectFrame('message_deleted', { id });
    await reader.expectNoFrame('message_edited', { content: 'see http://spam.example' }, { after: author });

    const message = {
      id,
      senderId: MEMBER.id,
      senderNickname: 'member',
      recipientId: null,
      room: 'lobby',
      createdAt: expect.any(Number),
    };
    expect(ChatAudit.heard).toEqual([
      { name: ChatEvents.MessageCreated, payload: { message: { ...message, content: '**** it' } } },
      {
        name: ChatEvents.MessageEdited,
        payload: {
          message: { ...message, content: '**** ****', editedAt: expect.any(Number) },
          previousContent: '**** it',
        },
      },
      {
        name: ChatEvents.MessageDeleted,
        payload: {
          messageId: id,
          senderId: MEMBER.id,
          recipientId: null,
          room: 'lobby',
          deletedBy: MEMBER.id,
          deletedAt: expect.any(Number),
        },
      },
    ]);
    await Promise.all([author.close(), reader.close()]);
  });

  it('a mention is heard once per mentioned reader, right after the message is created, never for its sender', async () => {
    ChatAudit.heard = [];
    const [author, reader] = await Promise.all([chat.connectAs(MEMBER), chat.connectAs(MOD)]);
    author.send({ type: 'chat_message', content: '@Mod look, @mod twice, @member myself, @nobody', client_id: 'm1' });
    const room = await author.expectFrame('ack', { client_id: 'm1' });
    author.send({ type: 'private_message', to: MOD.id, content: 'psst @mod', client_id: 'm2' });
    const secret = await author.expectFrame('ack', { client_id: 'm2' });
    author.send({ type: 'chat_message', content: 'nobody named', client_id: 'm3' });
    await author.expectFrame('ack', { client_id: 'm3' });
    author.send({ type: 'chat_message', content: '@Mod look, again', client_id: 'm1' }); // a retry: not a new message
    await author.expectFrame('ack', { client_id: 'm1' });
    await reader.expectFrame('chat_message', { content: 'nobody named' });

    expect(ChatAudit.heard.map((event) => event.name)).toEqual([
      ChatEvents.MessageCreated,
      ChatEvents.Mention,
      ChatEvents.MessageCreated,
      ChatEvents.Mention,
      ChatEvents.MessageCreated,
    ]);
    expect(named(ChatEvents.Mention)).toEqual([
      {
        name: ChatEvents.Mention,
        payload: {
          mentionedUserId: MOD.id,
          message: expect.objectContaining({ id: room.id, senderId: MEMBER.id, room: 'lobby', recipientId: null }),
        },
      },
      {
        name: ChatEvents.Mention,
        payload: {
          mentionedUserId: MOD.id,
          message: expect.objectContaining({ id: secret.id, recipientId: MOD.id, room: null, content: 'psst @mod' }),
        },
      },
    ]);
    await Promise.all([author.close(), reader.close()]);
  });
  it('an edit that mentions a reader for the first time is heard as a mention, right after the edit, once', async () => {
    const [author, reader] = await Promise.all([chat.connectAs(MEMBER), chat.connectAs(MOD)]);
    author.send({ type: 'chat_message', content: 'plain at first', client_id: 'e1' });
    const { id } = await author.expectFrame('ack', { client_id: 'e1' });
    ChatAudit.heard = [];
    author.send({ type: 'edit_message', id, content: 'now for @mod', client_id: 'e2' });
    await reader.expectFrame('message_edited', { content: 'now for @mod', new_mentions: [MOD.id] });
    author.send({ type: 'edit_message', id, content: '@Mod, still you', client_id: 'e3' });
    await reader.expectFrame('message_edited', { content: '@Mod, still you', mentions: [MOD.id] });
    expect(ChatAudit.heard.map((event) => event.name)).toEqual([
      ChatEvents.MessageEdited,
      ChatEvents.Mention,
      ChatEvents.MessageEdited,
    ]);
    expect(named(ChatEvents.Mention)).toEqual([
      {
        name: ChatEvents.Mention,
        payload: { mentionedUserId: MOD.id, message: expect.objectContaining({ id, content: 'now for @mod' }) },
      },
    ]);
    await Promise.all([author.close(), reader.close()]);
  });
});

describe('events on a three-instance cluster', () => {
  let cluster: ChatTestCluster;

  beforeAll(async () => {
    ChatAudit.heard = [];
    cluster = await startChatCluster(3, hostBuilder);
  });
  afterAll(() => cluster.close());

  it('each event reaches the host once, whichever instance the sockets are on', async () => {
    const [first, second, third] = cluster.instances;
    const author = await first.connectAs(MEMBER);
    const readers = [await second.connectAs(MOD), await third.connectAs(MOD)];
    author.send({ type: 'chat_message', content: 'hello cluster, @mod', client_id: 'c1' });
    const { id } = await author.expectFrame('ack', { client_id: 'c1' });
    for (const reader of readers) await reader.expectFrame('chat_message', { id });
    const moderator = readers[0];
    author.send({ type: 'edit_message', id, content: 'hello, cluster' });
    for (const reader of readers) await reader.expectFrame('message_edited', { id });
    author.send({ type: 'delete_message', id });
    author.send({ type: 'delete_message', id });
    for (const reader of readers) await reader.expectFrame('message_deleted', { id });
    await author.expectFrame('message_deleted', { id });
    await author.expectFrame('message_deleted', { id });
    await moderator.expectNoFrame('message_deleted', { id }, { after: author });
    expect(ChatAudit.heard.map((event) => event.name)).toEqual([
      ChatEvents.MessageCreated,
      ChatEvents.Mention,
      ChatEvents.MessageEdited,
      ChatEvents.MessageDeleted,
    ]);
    await Promise.all([author, ...readers].map((socket) => socket.close()));
  });
});
