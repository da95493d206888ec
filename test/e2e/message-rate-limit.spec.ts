import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorFrame } from '../../src/chat/protocol/frames.js';
import { REQUEST_LIMITS } from '../../src/chat/limits/request-limits.js';
import { registerAndLogin, TestUser } from '../support/http-client.js';
import { startTestApp, TestApp } from '../support/test-app.js';
import { TestSocket } from '../support/ws-client.js';
import { useChatApp } from '../support/chat-app.js';

// burst 10 and a refill of one per minute: within a test, exactly 10 messages pass
const BURST = 10;

describe('message rate limit (CHAT_RATE_LIMIT=1/1m,burst=10)', () => {
  const server = useChatApp({ env: { CHAT_RATE_LIMIT: `1/1m,burst=${BURST}` } });

  const fresh = () => registerAndLogin(server.baseUrl);

  /** Sends a sentinel from `from` and waits until `watcher` has it: everything sent before has arrived. */
  async function flushThrough(from: TestSocket, watcher: TestSocket, tag: string): Promise<void> {
    from.send({ type: 'chat_message', content: `sentinel ${tag}` });
    await watcher.next((f) => f.type === 'chat_message' && f.content === `sentinel ${tag}`);
  }

  it('acks exactly `burst` messages, refuses the next with rate_limited + retry_after_ms, stores and delivers none of them', async () => {
    const [alice, bob] = [await fresh(), await fresh()];
    const a = await TestSocket.connect(server.wsUrl, alice.cookie);
    const b = await TestSocket.connect(server.wsUrl, bob.cookie);
    for (let i = 1; i <= 12; i++) a.send({ type: 'chat_message', content: `m${i}`, client_id: `c${i}` });
    const refusals = [await a.nextOfType('error'), await a.nextOfType('error')];
    await flushThrough(b, b, 'after flood');
    expect(a.framesOfType('ack').map((f) => f.client_id)).toEqual(Array.from({ length: BURST }, (_, i) => `c${i + 1}`));
    for (const [i, refusal] of refusals.entries()) {
      expect(refusal).toMatchObject<Partial<ErrorFrame>>({ code: 'rate_limited', ref: `c${11 + i}` });
      expect(refusal.retry_after_ms).toBeGreaterThan(0);
      expect(refusal.retry_after_ms).toBeLessThanOrEqual(60_000);
    }
    const delivered = b
      .framesOfType('chat_message')
      .filter((f) => f.user_id === alice.id)
      .map((f) => f.content);
    expect(delivered).toEqual(Array.from({ length: BURST }, (_, i) => `m${i + 1}`));
    b.send({ type: 'history', limit: 50 });
    const history = await b.nextOfType('history');
    expect(history.messages.filter((m) => m.user_id === alice.id)).toHaveLength(BURST);
    await Promise.all([a.close(), b.close()]);
  });

  it('counts per user across all their sockets, public and private messages together', async () => {
    const [alice, bob] = [await fresh(), await fresh()];
    const tab1 = await TestSocket.connect(server.wsUrl, alice.cookie);
    const tab2 = await TestSocket.connect(server.wsUrl, alice.cookie);
    for (let i = 0; i < 4; i++) tab1.send({ type: 'chat_message', content: `t1-${i}` });
    for (let i = 0; i < 4; i++) tab2.send({ type: 'private_message', to: bob.id, content: `t2-${i}` });
    for (let i = 0; i < 3; i++) tab1.send({ type: 'chat_message', content: `t1-late-${i}` });
    tab1.send({ type: 'conversations' });
    tab2.send({ type: 'conversations' });
    await tab1.nextOfType('conversations');
    await tab2.nextOfType('conversations');
    const acks = tab1.framesOfType('ack').length + tab2.framesOfType('ack').length;
    const refused = [...tab1.framesOfType('error'), ...tab2.framesOfType('error')].filter(
      (f) => f.code === 'rate_limited',
    );
    expect(acks).toBe(BURST);
    expect(refused).toHaveLength(1);
    await Promise.all([tab1.close(), tab2.close()]);
  });

  it('a frame refused as invalid costs nothing', async () => {
    const alice = await fresh();
    const a = await TestSocket.connect(server.wsUrl, alice.cookie);
    for (let i = 0; i < 15; i++) a.send({ type: 'chat_message', content: '   ' });
    for (let i = 0; i < 5; i++) a.send({ type: 'private_message', to: 999_999, content: 'nobody' });
    for (let i = 0; i < 5; i++) a.send({ type: 'chat_message', content: 'x'.repeat(2001) });
    for (let i = 1; i <= BURST; i++) a.send({ type: 'chat_message', content: `ok${i}`, client_id: `ok${i}` });
    await a.next((f) => f.type === 'ack' && f.client_id === `ok${BURST}`);
    const errors = a.framesOfType('error');
    expect(errors.map((f) => f.code)).toEqual([
      ...Array(15).fill('invalid_message'),
      ...Array(5).fill('not_found'),
      ...Array(5).fill('invalid_message'),
    ]);
    expect(a.framesOfType('ack')).toHaveLength(BURST);
    await a.close();
  });

  it('closes with 1008 at the refusal that makes more than 3 × burst within 10 s', async () => {
    const [alice, bob] = [await fresh(), await fresh()];
    const a = await TestSocket.connect(server.wsUrl, alice.cookie);
    const b = await TestSocket.connect(server.wsUrl, bob.cookie);
    for (let i = 0; i < BURST + 3 * BURST + 5; i++) a.send({ type: 'chat_message', content: `flood ${i}` });
    const closed = await a.closed;
    expect(closed.code).toBe(1008);
    expect(a.framesOfType('ack')).toHaveLength(BURST);
    expect(a.framesOfType('error').filter((f) => f.code === 'rate_limited')).toHaveLength(3 * BURST + 1);
    // the user's other sockets and everyone else carry on
    const again = await TestSocket.connect(server.wsUrl, alice.cookie);
    again.send({ type: 'history', limit: 1 });
    expect((await again.nextOfType('history')).type).toBe('history');
    await flushThrough(b, b, 'after 1008');
    await Promise.all([again.close(), b.close()]);
  });
});

describe('limits of the other requests', () => {
  const server = useChatApp({ users: 2 });
  let alice: TestUser, bob: TestUser;
  beforeAll(() => void ([alice, bob] = server.users));

  it.each([
    ['history', { type: 'history' }, 20],
    ['conversations', { type: 'conversations' }, 20],
    ['search_users', { type: 'search_users', prefix: 'a' }, 20],
    ['resume', { type: 'resume', since: 0 }, 5],
    ['typing', { type: 'typing', active: true }, 10],
    ['join', { type: 'join' }, 10],
  ] as const)('%s: burst %i, then rate_limited; other kinds unaffected', async (type, frame, burst) => {
    const a = await TestSocket.connect(server.wsUrl, alice.cookie);
    const request = type === 'typing' ? { ...frame, to: bob.id } : frame;
    // a few past the burst, so that a token refilled while the server works through them
    // (a slow machine) still leaves a refusal; few, so the refusals stay far below the abuse close
    const sent = burst + 3;
    const started = Date.now();
    for (let i = 0; i < sent; i++) a.send(request);
    const refusal = await a.nextOfType('error');
    expect(refusal).toMatchObject({ code: 'rate_limited', ref: type });
    expect(refusal.retry_after_ms).toBeGreaterThan(0);
    a.send({ type: 'chat_message', content: `still fine after ${type}`, client_id: type });
    // frames of one socket are answered in order: at the ack, every request has its answer
    await a.next((f) => f.type === 'ack' && f.client_id === type);
    const limit = REQUEST_LIMITS[type === 'join' ? 'presence' : type];
    const refilled = Math.floor(((Date.now() - started) * limit.rate) / limit.perMs);
    const accepted = sent - a.framesOfType('error').length;
    expect(accepted).toBeGreaterThanOrEqual(burst);
    expect(accepted).toBeLessThanOrEqual(burst + refilled);
    const replyType =
      type === 'resume' ? 'resumed' : type === 'join' ? 'online_users' : type === 'search_users' ? 'users' : type;
    // typing goes to the recipient only: the sender gets no reply for it
    const connectReply = type === 'join' ? 1 : 0; // the online_users every socket gets on connect
    expect(a.frames.filter((f) => f.type === replyType)).toHaveLength(type === 'typing' ? 0 : accepted + connectReply);
    await a.close();
  });
});
