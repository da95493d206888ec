import type { ClientFrame, ServerFrame } from '../chat/protocol/frames.js';
import { ChatClient } from './chat-client.js';
import { browserWakeSignals } from './wake-signals.js';
import type { ChatClientEvents } from './chat-client.events.js';

/**
 * A stand-in for the platform's WebSocket (the browser interface: readyState,
 * send, close, on* handlers). Tests drive the server side through it.
 */
class FakeWebSocket {
  static instances: FakeWebSocket[] = [];
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 3;
  readyState = FakeWebSocket.CONNECTING;
  readonly sent: ClientFrame[] = [];
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(readonly url: string) {
    FakeWebSocket.instances.push(this);
  }

  static get last(): FakeWebSocket {
    return FakeWebSocket.instances[FakeWebSocket.instances.length - 1];
  }

  send(data: string): void {
    if (this.readyState !== FakeWebSocket.OPEN) throw new Error('InvalidStateError');
    this.sent.push(JSON.parse(data) as ClientFrame);
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState === FakeWebSocket.CLOSED) return;
    this.readyState = FakeWebSocket.CLOSED;
    this.onclose?.({ code, reason });
  }

  // --- the server's side ---
  serverOpen(): void {
    this.readyState = FakeWebSocket.OPEN;
    this.onopen?.({});
  }

  serverSend(frame: ServerFrame): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  serverClose(code: number, reason = ''): void {
    this.readyState = FakeWebSocket.CLOSED;
    this.onclose?.({ code, reason });
  }
}

const msg = (id: number, content = `m${id}`): ServerFrame => ({
  type: 'chat_message',
  id,
  content,
  user_id: 1,
  nickname: 'alice',
  timestamp: '2026-01-01T00:00:00.000Z',
});

function record<K extends keyof ChatClientEvents>(client: ChatClient, event: K): Array<ChatClientEvents[K]> {
  const seen: Array<ChatClientEvents[K]> = [];
  client.on(event, (p) => seen.push(p));
  return seen;
}

function newClient(extra: Partial<ConstructorParameters<typeof ChatClient>[0]> = {}): ChatClient {
  return new ChatClient({
    url: 'ws://chat.test/ws',
    WebSocket: FakeWebSocket,
    random: () => 0.5,
    backoff: { initialMs: 1_000, maxMs: 8_000, factor: 2, resetAfterMs: 5_000 },
    ...extra,
  });
}

beforeEach(() => {
  FakeWebSocket.instances = [];
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

describe('ChatClient', () => {
  it('reports its connection state as a property and an event', () => {
    const client = newClient();
    const states = record(client, 'state');
    expect(client.state).toBe('idle');
    client.connect();
    expect(client.state).toBe('connecting');
    FakeWebSocket.last.serverOpen();
    expect(client.state).toBe('open');
    client.close();
    expect(states).toEqual(['connecting', 'open', 'closed']);
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it('emits each server frame as its own typed event', () => {
    const client = newClient();
    const joined = record(client, 'user_joined');
    const typing = record(client, 'typing');
    client.connect();
    const ws = FakeWebSocket.last;
    ws.serverOpen();
    ws.serverSend({ type: 'user_joined', user_id: 2, nickname: 'bob', timestamp: 't' });
    ws.serverSend({ type: 'typing', user_id: 2, nickname: 'bob', active: true });
    expect(joined.map((f) => f.nickname)).toEqual(['bob']);
    expect(typing[0].active).toBe(true);
  });

  it('gives every message a client_id and resolves it on its ack', async () => {
    const client = newClient();
    client.connect();
    const ws = FakeWebSocket.last;
    ws.serverOpen();
    const sent = client.sendPrivateMessage(2, 'hi');
    expect(ws.sent).toEqual([{ type: 'private_message', to: 2, content: 'hi', client_id: sent.clientId }]);
    expect(client.unacked).toHaveLength(1);
    ws.serverSend({ type: 'ack', client_id: sent.clientId, id: 9, timestamp: 't' });
    await expect(sent.acked).resolves.toMatchObject({ id: 9 });
    expect(client.unacked).toHaveLength(0);
  });

  it('re-sends unacked messages with the same client_id after a reconnect, and not acked ones', async () => {
    const client = newClient();
    client.connect();
    const first = FakeWebSocket.last;
    first.serverOpen();
    const acked = client.sendChatMessage('one');
    const lost = client.sendChatMessage('two');
    first.serverSend({ type: 'ack', client_id: acked.clientId, id: 1, timestamp: 't' });
    first.serverClose(1006);
    const queued = client.sendChatMessage('three'); // sent while down: waits in the outbox

    vi.advanceTimersByTime(1_000);
    const second = FakeWebSocket.last;
    expect(second).not.toBe(first);
    second.serverOpen();
    const resent = second.sent.filter((f) => f.type === 'chat_message');
    expect(resent).toEqual([
      { type: 'chat_message', content: 'two', client_id: lost.clientId },
      { type: 'chat_message', content: 'three', client_id: queued.clientId },
    ]);
    second.serverSend({ type: 'ack', client_id: lost.clientId, id: 2, timestamp: 't' });
    await expect(lost.acked).resolves.toMatchObject({ id: 2 });
    expect(client.unacked.map((m) => m.client_id)).toEqual([queued.clientId]);
  });

  it('resumes from the greatest id seen, follows has_more and reports each message once', () => {
    const client = newClient();
    const messages = record(client, 'chat_message');
    const synced = record(client, 'synced');
    client.connect();
    const first = FakeWebSocket.last;
    first.serverOpen();
    expect(first.sent.some((f) => f.type === 'resume')).toBe(false);
    first.serverSend(msg(3));
    first.serverSend(msg(5));
    first.serverClose(1001);

    vi.advanceTimersByTime(1_000);
    const second = FakeWebSocket.last;
    second.serverOpen();
    expect(second.sent[0]).toEqual({ type: 'resume', since: 5 });
    second.serverSend(msg(7)); // live, during the resume
    second.serverSend(msg(6));
    second.serverSend(msg(7)); // replayed
    second.serverSend({ type: 'resumed', last_id: 7, has_more: true });
    expect(second.sent[1]).toEqual({ type: 'resume', since: 7 });
    expect(synced).toEqual([]);
    second.serverSend(msg(8));
    second.serverSend({ type: 'resumed', last_id: 8, has_more: false });
    expect(second.sent.filter((f) => f.type === 'resume')).toHaveLength(2);
    expect(synced).toEqual([{ lastId: 8 }]);
    expect(messages.map((m) => m.id)).toEqual([3, 5, 7, 6, 8]);
    expect(client.lastMessageId).toBe(8);
  });

  it('counts history towards the resume position without hiding live copies', async () => {
    const client = newClient();
    const messages = record(client, 'chat_message');
    client.connect();
    const ws = FakeWebSocket.last;
    ws.serverOpen();
    const page = client.requestHistory({ limit: 10 });
    expect(ws.sent).toEqual([{ type: 'history', limit: 10 }]);
    ws.serverSend({ type: 'history', with: null, messages: [msg(10) as never, msg(11) as never], has_more: false });
    await expect(page).resolves.toMatchObject({ with: null, has_more: false });
    ws.serverSend(msg(11));
    expect(messages.map((m) => m.id)).toEqual([11]);
    ws.serverClose(1006);
    vi.advanceTimersByTime(1_000);
    FakeWebSocket.last.serverOpen();
    expect(FakeWebSocket.last.sent[0]).toEqual({ type: 'resume', since: 11 });
  });

  it('on close 4401 emits session_ended, rejects unacked messages and never reconnects', async () => {
    const client = newClient();
    const ended = record(client, 'session_ended');
    const disconnected = record(client, 'disconnected');
    const reconnecting = record(client, 'reconnecting');
    client.connect();
    const ws = FakeWebSocket.last;
    ws.serverOpen();
    const pending = client.sendChatMessage('unsent');
    ws.serverClose(4401, 'logged out');

    expect(client.state).toBe('session_ended');
    expect(ended).toEqual([
      {
        code: 4401,
        reason: 'logged out',
        unsent: [{ type: 'chat_message', content: 'unsent', client_id: pending.clientId }],
      },
    ]);
    await expect(pending.acked).rejects.toMatchObject({ failure: 'session_ended' });
    vi.advanceTimersByTime(10 * 60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(disconnected).toEqual([]);
    expect(reconnecting).toEqual([]);
  });

  it('any other close emits disconnected then reconnecting, and reconnects after the delay', () => {
    const client = newClient();
    const disconnected = record(client, 'disconnected');
    const reconnecting = record(client, 'reconnecting');
    client.connect();
    FakeWebSocket.last.serverOpen();
    FakeWebSocket.last.serverClose(1013, 'slow');
    expect(disconnected).toEqual([{ code: 1013, reason: 'slow', willReconnect: true }]);
    expect(reconnecting).toEqual([{ attempt: 1, delayMs: 500 }]); // 0.5 × 1000
    expect(client.state).toBe('reconnecting');
    vi.advanceTimersByTime(499);
    expect(FakeWebSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it('grows the delay while attempts fail, caps it, and starts over after a stable connection', () => {
    const client = newClient({ random: () => 0.999_999 });
    const reconnecting = record(client, 'reconnecting');
    client.connect();
    for (let i = 0; i < 6; i++) {
      FakeWebSocket.last.serverClose(1006);
      vi.advanceTimersByTime(reconnecting[reconnecting.length - 1].delayMs);
    }
    expect(reconnecting.map((r) => r.delayMs)).toEqual([999, 1_999, 3_999, 7_999, 7_999, 7_999]);
    FakeWebSocket.last.serverOpen();
    vi.advanceTimersByTime(5_000);
    FakeWebSocket.last.serverClose(1006);
    expect(reconnecting[reconnecting.length - 1]).toEqual({ attempt: 1, delayMs: 999 });
  });

  it('a connection dropped right after opening does not reset the backoff', () => {
    const client = newClient({ random: () => 0.999_999 });
    const reconnecting = record(client, 'reconnecting');
    client.connect();
    FakeWebSocket.last.serverOpen();
    FakeWebSocket.last.serverClose(1008);
    vi.advanceTimersByTime(999);
    FakeWebSocket.last.serverOpen();
    FakeWebSocket.last.serverClose(1008);
    expect(reconnecting.map((r) => r.delayMs)).toEqual([999, 1_999]);
  });

  it('ends the session instead of reconnecting when the session check says so', async () => {
    const checkSession = vi.fn(async () => false);
    const client = newClient({ checkSession });
    const ended = record(client, 'session_ended');
    client.connect();
    FakeWebSocket.last.serverOpen();
    FakeWebSocket.last.serverClose(1006);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(checkSession).toHaveBeenCalledOnce();
    expect(client.state).toBe('session_ended');
    expect(ended[0]).toMatchObject({ code: null });
    expect(FakeWebSocket.instances).toHaveLength(1);
  });

  it('re-sends a rate-limited message after retry_after_ms, and drops a refused one', async () => {
    const client = newClient();
    const failed = record(client, 'send_failed');
    client.connect();
    const ws = FakeWebSocket.last;
    ws.serverOpen();
    const limited = client.sendChatMessage('again');
    const refused = client.sendChatMessage(' ');
    ws.serverSend({
      type: 'error',
      code: 'rate_limited',
      message: 'slow down',
      ref: limited.clientId,
      retry_after_ms: 200,
    });
    ws.serverSend({ type: 'error', code: 'invalid_message', message: 'empty', ref: refused.clientId });
    await expect(refused.acked).rejects.toMatchObject({ failure: 'refused', frame: { code: 'invalid_message' } });
    expect(failed.map((f) => f.message.client_id)).toEqual([refused.clientId]);
    vi.advanceTimersByTime(200);
    expect(ws.sent.filter((f) => f.type === 'chat_message' && f.client_id === limited.clientId)).toHaveLength(2);
    expect(client.unacked.map((m) => m.client_id)).toEqual([limited.clientId]);
  });

  it('rejects pending requests when the connection drops, and refuses them while down', async () => {
    const client = newClient();
    client.connect();
    FakeWebSocket.last.serverOpen();
    const conversations = client.requestConversations();
    FakeWebSocket.last.serverClose(1006);
    await expect(conversations).rejects.toMatchObject({ failure: 'disconnected' });
    await expect(client.requestHistory()).rejects.toMatchObject({ failure: 'disconnected' });
    expect(client.sendTyping(2, true)).toBe(false);
  });

  it('keeps a leave across reconnects', () => {
    const client = newClient();
    client.connect();
    FakeWebSocket.last.serverOpen();
    client.leave();
    FakeWebSocket.last.serverClose(1006);
    vi.advanceTimersByTime(1_000);
    FakeWebSocket.last.serverOpen();
    expect(FakeWebSocket.last.sent).toContainEqual({ type: 'leave' });
  });

  it('close() stops reconnecting', () => {
    const client = newClient();
    client.connect();
    FakeWebSocket.last.serverOpen();
    FakeWebSocket.last.serverClose(1006);
    client.close();
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(client.state).toBe('closed');
  });
  it('reconnectNow() skips the rest of the backoff wait, and only while waiting', async () => {
    const client = newClient();
    client.connect();
    expect(client.reconnectNow()).toBe(false); // connecting: nothing to skip
    FakeWebSocket.last.serverOpen();
    expect(client.reconnectNow()).toBe(false); // open
    FakeWebSocket.last.serverClose(1006);
    expect(client.reconnectNow()).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(FakeWebSocket.instances).toHaveLength(2);
    expect(client.reconnectNow()).toBe(false); // the attempt is under way
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.instances).toHaveLength(2); // the cancelled timer does not fire a second one
  });

  it('a wake signal reconnects at once; close() stops listening', async () => {
    let wake: () => void = () => undefined;
    const stop = vi.fn();
    const client = newClient({
      wakeSignals: (onWake) => {
        wake = onWake;
        return stop;
      },
    });
    client.connect();
    FakeWebSocket.last.serverOpen();
    wake(); // open: nothing happens
    expect(FakeWebSocket.instances).toHaveLength(1);
    FakeWebSocket.last.serverClose(1006);
    wake();
    await vi.advanceTimersByTimeAsync(0);
    expect(FakeWebSocket.instances).toHaveLength(2);
    client.close();
    expect(stop).toHaveBeenCalledOnce();
  });

  it('the browser signals are the online event and the page becoming visible', () => {
    const win = new EventTarget();
    const doc = Object.assign(new EventTarget(), { visibilityState: 'hidden' });
    const woken: string[] = [];
    const stop = browserWakeSignals(win, doc)!((() => woken.push('wake')) as () => void);
    doc.dispatchEvent(new Event('visibilitychange')); // hidden: no
    win.dispatchEvent(new Event('online'));
    doc.visibilityState = 'visible';
    doc.dispatchEvent(new Event('visibilitychange'));
    stop();
    win.dispatchEvent(new Event('online'));
    expect(woken).toEqual(['wake', 'wake']);
    expect(browserWakeSignals(undefined, undefined)).toBeNull();
  });

  it('says presence is live from online_users until the connection drops', () => {
    const client = newClient();
    const live = record(client, 'presence_live');
    client.connect();
    FakeWebSocket.last.serverOpen();
    expect(client.presenceLive).toBe(false);
    FakeWebSocket.last.serverSend({ type: 'online_users', users: [] });
    expect(client.presenceLive).toBe(true);
    FakeWebSocket.last.serverSend({ type: 'online_users', users: [] });
    FakeWebSocket.last.serverClose(1006);
    expect(client.presenceLive).toBe(false);
    expect(live).toEqual([{ live: true }, { live: false }]);
  });
});
