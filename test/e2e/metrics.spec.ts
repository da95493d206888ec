import { beforeAll, describe, expect, it } from 'vitest';
import { registerAndLogin, TestUser } from '../support/http-client.js';
import { MetricsScrape } from '../support/metrics-scrape.js';
import { startTestApp } from '../support/test-app.js';
import { TestSocket } from '../support/ws-client.js';
import { useChatApp } from '../support/chat-app.js';

describe('GET /metrics follows the traffic', () => {
  const server = useChatApp({ users: 2 });
  let alice: TestUser, bob: TestUser;
  beforeAll(() => void ([alice, bob] = server.users));

  it('serves the Prometheus text format with every chat series named by the house rules', async () => {
    const response = await fetch(`${server.baseUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const scrape = await MetricsScrape.fetch(server.baseUrl);
    for (const name of [
      'chat_connections',
      'chat_handshakes_refused_total',
      'chat_frames_in_total',
      'chat_frames_out_total',
      'chat_errors_total',
      'chat_closes_total',
      'chat_slow_consumers_total',
      'chat_fanout_publish_failures_total',
      'chat_broadcasts_total',
      'chat_handler_duration_seconds',
      'chat_store_duration_seconds',
    ]) {
      expect(scrape.text).toContain(`# TYPE ${name} `);
    }
    expect(scrape.has('chat_errors_total', { code: 'rate_limited' })).toBe(true);
    const chatLines = scrape.text.split('\n').filter((line) => line.startsWith('chat_'));
    const labelNames = chatLines.flatMap((line) => [...line.matchAll(/[{,]([a-z_]+)="/g)].map((m) => m[1]));
    const allowed = ['reason', 'type', 'code', 'kind', 'le', 'operation'];
    expect(labelNames.filter((name) => !allowed.includes(name))).toEqual([]);
  });

  it('counts connections, frames in and out, errors, broadcasts, refusals, latencies and closes exactly', async () => {
    const a = await TestSocket.connect(server.wsUrl, alice.cookie);
    const b = await TestSocket.connect(server.wsUrl, bob.cookie);
    await a.next((f) => f.type === 'user_joined' && f.user_id === bob.id);
    const before = await MetricsScrape.fetch(server.baseUrl);
    expect(before.value('chat_connections')).toBe(2);

    const N = 3;
    for (let i = 0; i < N; i++) a.send({ type: 'chat_message', content: `metric ${i}`, client_id: `m-${i}` });
    for (let i = 0; i < N; i++) {
      await a.next((f) => f.type === 'ack' && f.client_id === `m-${i}`);
      await b.next((f) => f.type === 'chat_message' && f.content === `metric ${i}`);
    }
    a.sendRaw('this is not json');
    await a.next((f) => f.type === 'error' && f.code === 'invalid_json');
    await expect(TestSocket.open(server.wsUrl)).rejects.toMatchObject({ status: 401 });

    const after = await MetricsScrape.fetch(server.baseUrl);
    const delta = (name: string, labels: Record<string, string> = {}) =>
      after.value(name, labels) - before.value(name, labels);
    expect(delta('chat_frames_in_total', { type: 'chat_message' })).toBe(N);
    expect(delta('chat_frames_in_total', { type: 'invalid' })).toBe(1);
    expect(delta('chat_frames_out_total', { type: 'chat_message' })).toBe(2 * N);
    expect(delta('chat_frames_out_total', { type: 'ack' })).toBe(N);
    expect(delta('chat_frames_out_total', { type: 'error' })).toBe(1);
    expect(delta('chat_errors_total', { code: 'invalid_json' })).toBe(1);
    expect(delta('chat_broadcasts_total', { kind: 'everyone' })).toBe(N);
    expect(delta('chat_handshakes_refused_total', { reason: 'unauthenticated' })).toBe(1);
    expect(delta('chat_handler_duration_seconds_count', { type: 'chat_message' })).toBe(N);
    expect(delta('chat_store_duration_seconds_count', { operation: 'append' })).toBe(N);
    expect(after.value('chat_connections')).toBe(2);
    expect(after.value('chat_slow_consumers_total')).toBe(0);
    expect(after.value('chat_fanout_publish_failures_total')).toBe(0);

    await b.close();
    await a.next((f) => f.type === 'user_left' && f.user_id === bob.id);
    const closed = await MetricsScrape.fetch(server.baseUrl);
    expect(closed.value('chat_connections')).toBe(1);
    expect(
      closed.value('chat_closes_total', { code: '1005' }) - before.value('chat_closes_total', { code: '1005' }),
    ).toBe(1);
    expect(
      closed.value('chat_broadcasts_total', { kind: 'everyone' }) -
        after.value('chat_broadcasts_total', { kind: 'everyone' }),
    ).toBe(1);
    expect(
      closed.value('chat_frames_out_total', { type: 'user_left' }) -
        after.value('chat_frames_out_total', { type: 'user_left' }),
    ).toBe(1);
    await a.close();
  });

  it('counts a binary frame as such and the 1003 close it causes', async () => {
    const carol = await registerAndLogin(server.baseUrl);
    const watcher = await TestSocket.connect(server.wsUrl, bob.cookie);
    const socket = await TestSocket.connect(server.wsUrl, carol.cookie);
    await watcher.next((f) => f.type === 'user_joined' && f.user_id === carol.id);
    const before = await MetricsScrape.fetch(server.baseUrl);
    socket.sendRaw(Buffer.from([1, 2, 3]), true);
    expect((await socket.closed).code).toBe(1003);
    // the server has handled the close once carol's departure is announced
    await watcher.next((f) => f.type === 'user_left' && f.user_id === carol.id);
    const after = await MetricsScrape.fetch(server.baseUrl);
    expect(
      after.value('chat_frames_in_total', { type: 'binary' }) -
        before.value('chat_frames_in_total', { type: 'binary' }),
    ).toBe(1);
    expect(
      after.value('chat_closes_total', { code: '1003' }) - before.value('chat_closes_total', { code: '1003' }),
    ).toBe(1);
    await watcher.close();
  });

  it.each([
    ['1007', 'invalid UTF-8', () => Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d])],
    ['1009', 'a frame over CHAT_MAX_FRAME_BYTES', () => 'x'.repeat(1 << 20)],
  ])('counts the %s close the server sends for %s under that code, not 1006', async (code, _what, payload) => {
    const dave = await registerAndLogin(server.baseUrl);
    const watcher = await TestSocket.connect(server.wsUrl, bob.cookie);
    const socket = await TestSocket.connect(server.wsUrl, dave.cookie);
    await watcher.next((f) => f.type === 'user_joined' && f.user_id === dave.id);
    const before = await MetricsScrape.fetch(server.baseUrl);
    socket.sendRaw(payload());
    expect((await socket.closed).code).toBe(Number(code));
    await watcher.next((f) => f.type === 'user_left' && f.user_id === dave.id);
    const after = await MetricsScrape.fetch(server.baseUrl);
    const delta = (label: string) =>
      after.value('chat_closes_total', { code: label }) - before.value('chat_closes_total', { code: label });
    expect(delta(code)).toBe(1);
    expect(delta('1006')).toBe(0);
    await watcher.close();
  });

  it("carries the process's default metrics (memory, heap, event-loop lag, GC), in every app of one process", async () => {
    // last: a second app in this process takes over the process-wide Passport strategy
    const second = await startTestApp();
    try {
      for (const baseUrl of [server.baseUrl, second.baseUrl]) {
        const scrape = await MetricsScrape.fetch(baseUrl);
        expect(scrape.value('process_resident_memory_bytes')).toBeGreaterThan(0);
        expect(scrape.value('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
        expect(scrape.has('nodejs_eventloop_lag_seconds')).toBe(true);
        expect(scrape.text).toContain('# TYPE nodejs_gc_duration_seconds histogram');
        expect(scrape.text).toContain('# TYPE chat_connections gauge');
      }
    } finally {
      await second.close();
    }
  });
});
