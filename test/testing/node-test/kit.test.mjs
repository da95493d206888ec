// The kit under node:test, a runner it knows nothing about: its failures are plain Errors.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloseCode, startChatModuleTest } from 'forum-chat/testing';

describe('forum-chat/testing under node:test', () => {
  let chat;
  before(async () => {
    chat = await startChatModuleTest();
  });
  after(() => chat.close());

  it('passes: frames expected, none refuted, a session ended', async () => {
    const ada = await chat.connectAs({ id: 1, nickname: 'ada', sessionKey: 'ada-session' });
    const bob = await chat.connectAs({ id: 2, nickname: 'bob' });
    bob.send({ type: 'chat_message', content: 'hi ada' });
    const message = await ada.expectFrame('chat_message', { content: 'hi ada', user_id: 2 });
    assert.equal(message.nickname, 'bob');
    await ada.expectNoFrame('error', undefined, { after: [ada, bob] });
    await chat.endSession('ada-session');
    await ada.expectClose(CloseCode.SESSION_ENDED);
    await bob.close();
  });

  it('fails with plain Errors the runner reports', async () => {
    const ada = await chat.connectAs({ id: 1, nickname: 'ada' });
    await assert.rejects(ada.expectFrame('typing', undefined, 100), /expected typing frame: none within 100 ms/);
    ada.send({ type: 'chat_message', content: '' });
    await assert.rejects(
      ada.expectNoFrame('error'),
      /expected no error frame before the sentinel, got .*invalid_message/,
    );
    await ada.close();
  });
});
