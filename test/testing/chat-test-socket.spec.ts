import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatTestApp, CloseCode, HandshakeRefusedError, startChatModuleTest } from '../../src/testing/index.js';

const ada = { id: 1, nickname: 'ada' };
const bob = { id: 2, nickname: 'bob' };
const cyd = { id: 3, nickname: 'cyd' };

describe('forum-chat/testing: the test socket on ChatModule alone', () => {
  let chat: ChatTestApp;
  beforeAll(async () => {
    chat = await startChatModuleTest();
  });
  afterAll(async () => {
    await chat.close();
  });

  it('connects as any identity and expects typed frames by type and nested subset', async () => {
    const a = await chat.connectAs(ada);
    expect(a.online?.users).toContainEqual(ada);
    const b = await chat.connectAs(bob);
    await a.expectFrame('user_joined', { user_id: bob.id, nickname: 'bob' });
    b.send({ type: 'chat_message', content: 'hello', client_id: 'c1' });
    const message = await a.expectFrame('chat_message', { content: 'hello', user_id: bob.id });
    const ack = await b.expectFrame('ack', { client_id: 'c1' });
    expect(ack.id).toBe(message.id);
    expect(await b.expectFrame('chat_message', (frame) => frame.id === message.id)).toEqual(message);
    await Promise.all([a.close(), b.close()]);
  });

  it('expectFrame fails after its timeout and lists the frames that came', async () => {
    const a = await chat.connectAs(ada);
    a.send({ type: 'history' });
    await expect(a.expectFrame('chat_message', { content: 'never sent' }, 300)).rejects.toThrow(
      /expected chat_message frame ⊇ \{"content":"never sent"\}: none within 300 ms; not taken: \[.*\{"type":"history"/,
    );
    await a.close();
  });

  it('expectNoFrame passes when nothing matching came before the sentinel, and fails when it did', async () => {
    const a = await chat.connectAs(ada);
    const c = await chat.connectAs(cyd);
    // a private message from ada to bob (offline) reaches no socket of cyd's
    a.send({ type: 'private_message', to: bob.id, content: 'for bob only' });
    await c.expectNoFrame('private_message', undefined, { after: a });
    // the sentinels are invisible: neither socket recorded one
    expect(c.frames.map((frame) => frame.type)).not.toContain('error');
    // a public message from ada does reach cyd: the same assertion now fails
    a.send({ type: 'chat_message', content: 'for everyone' });
    await expect(c.expectNoFrame('chat_message', { content: 'for everyone' }, { after: a })).rejects.toThrow(
      /expected no chat_message frame ⊇ \{"content":"for everyone"\} before the sentinel, got \[\{"type":"chat_message"/,
    );
    // a frame taken by expectFrame no longer counts against expectNoFrame
    await c.expectFrame('chat_message', { content: 'for everyone' });
    await c.expectNoFrame('chat_message', undefined, { after: a });
    await Promise.all([a.close(), c.close()]);
  });

  it('expectNoFrame covers the socket’s own frames by default', async () => {
    const a = await chat.connectAs(ada);
    a.send({ type: 'typing', to: bob.id, active: true });
    await a.expectNoFrame('error');
    a.send({ type: 'chat_message', content: '' });
    await expect(a.expectNoFrame('error')).rejects.toThrow(/invalid_message/);
    await a.close();
  });

  it('expectClose resolves with the close code, and fails on another code', async () => {
    const [tab1, tab2] = await chat.tabs({ ...bob, sessionKey: 'bob-session' }, 2);
    const other = await chat.connectAs({ ...bob, sessionKey: 'other-session' });
    await chat.endSession('bob-session');
    await tab1.expectClose(CloseCode.SESSION_ENDED);
    await expect(tab2.expectClose(1000)).rejects.toThrow(/expected close code 1000, got 4401/);
    await other.expectNoFrame('user_left');
    await expect(other.expectClose(undefined, 200)).rejects.toThrow(/within 200 ms/);
    await other.close();
  });

  it('an identity whose session expires is closed with 4401', async () => {
    const a = await chat.connectAs({ ...ada, expiresAt: Date.now() + 300 });
    await a.expectClose(CloseCode.SESSION_ENDED);
  });

  it('refuses a socket without a ticket (no real strategy) with 401', async () => {
    expect(await chat.expectRefused({}, 401)).toBe(401);
    await expect(chat.open({ 'x-forum-chat-test-identity': 'forged' })).rejects.toBeInstanceOf(HandshakeRefusedError);
  });
});
