import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatTestApp } from '../../testing/chat-test-app.js';
import { startChatModuleTest } from '../../testing/start-chat-module-test.js';
import { MAX_MENTIONS } from '../mentions/mention-parser.js';

const AUTHOR = { id: 1, nickname: 'author' };
/** More readers than one message may ever mention. */
const READERS = Array.from({ length: MAX_MENTIONS + 5 }, (_, i) => ({ id: 100 + i, nickname: `reader${i}` }));
const mentionOf = (readers: typeof READERS) => readers.map((reader) => `@${reader.nickname}`).join(' ');

describe('edits and mentions', () => {
  let chat: ChatTestApp;
  beforeAll(async () => {
    chat = await startChatModuleTest({ users: [AUTHOR, ...READERS], chat: { rateLimit: null } });
  });
  afterAll(() => chat.close());

  it('a message mentions at most MAX_MENTIONS users over all its versions: later edits add no more', async () => {
    const author = await chat.connectAs(AUTHOR);
    author.send({ type: 'chat_message', content: mentionOf(READERS.slice(0, 15)), client_id: 'm' });
    const { id } = await author.expectFrame('ack', { client_id: 'm' });
    expect((await author.expectFrame('chat_message', { id })).mentions).toHaveLength(15);

    author.send({ type: 'edit_message', id, content: mentionOf(READERS.slice(10)), client_id: 'e1' });
    const widened = await author.expectFrame('message_edited', { id });
    expect(widened.mentions).toEqual(READERS.slice(0, MAX_MENTIONS).map((reader) => reader.id));
    expect(widened.new_mentions).toEqual(READERS.slice(15, MAX_MENTIONS).map((reader) => reader.id));

    author.send({ type: 'edit_message', id, content: mentionOf(READERS.slice(MAX_MENTIONS)), client_id: 'e2' });
    const capped = await author.expectFrame('message_edited', { id, content: mentionOf(READERS.slice(MAX_MENTIONS)) });
    expect(capped.mentions).toEqual(widened.mentions);
    expect(capped.new_mentions).toBeUndefined();
    await author.close();
  });
});
