import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAndLogin, TestUser } from '../support/http-client.js';
import { startTestApp, TestApp } from '../support/test-app.js';
import { TestSocket } from '../support/ws-client.js';

const FLOODER = resolve(import.meta.dirname, '../support/refused-frame-flooder.mjs');
const FLOOD_SOCKETS = 10;
const VICTIMS = 10;
/** Each victim stays under the default message rate (5/s): one message every 250 ms. */
const VICTIM_GAP_MS = 250;
const SAMPLES_PER_VICTIM = 20;

function p99(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)];
}

/** Every victim sends `SAMPLES_PER_VICTIM` messages one after the other; answers each ack's latency. */
async function ackLatencies(victims: TestSocket[], label: string): Promise<number[]> {
  const latencies: number[] = [];
  await Promise.all(
    victims.map(async (socket, v) => {
      for (let i = 0; i < SAMPLES_PER_VICTIM; i++) {
        const clientId = `${label}-${v}-${i}`;
        const sentAt = performance.now();
        socket.send({ type: 'chat_message', content: clientId, client_id: clientId });
        await socket.next((f) => f.type === 'ack' && f.client_id === clientId, 10_000);
        latencies.push(performance.now() - sentAt);
        await new Promise((r) => setTimeout(r, VICTIM_GAP_MS));
      }
    }),
  );
  return latencies;
}

describe('one account flooding refused frames from 10 sockets', () => {
  let server: TestApp;
  let victims: TestSocket[];
  let mallory: TestUser;

  beforeAll(async () => {
    server = await startTestApp();
    mallory = await registerAndLogin(server.baseUrl);
    const users = await Promise.all(Array.from({ length: VICTIMS }, () => registerAndLogin(server.baseUrl)));
    victims = await Promise.all(users.map((user) => TestSocket.connect(server.wsUrl, user.cookie)));
  }, 90_000);
  afterAll(async () => {
    for (const victim of victims ?? []) victim.ws.terminate();
    await server?.close();
  });

  it('counts every kind of refused frame toward the 1008 close: the 31st refusal within 10 s closes', async () => {
    const socket = await TestSocket.connect(server.wsUrl, mallory.cookie);
    const kinds = [
      '{not json',
      JSON.stringify({ type: 'no_such_type' }),
      JSON.stringify({ type: 'private_message', to: 987654321, content: 'anyone?' }),
      JSON.stringify({ type: 'typing', to: 987654321, active: true }),
      JSON.stringify({ type: 'history', with: 987654321 }),
      JSON.stringify({ type: 'chat_message', content: 42 }),
    ];
    // five of each kind, each answered: 30 refusals, the socket still open
    for (const kind of kinds) {
      for (let i = 0; i < 5; i++) socket.sendRaw(kind);
      for (let i = 0; i < 5; i++) await socket.nextOfType('error');
    }
    expect(socket.ws.readyState).toBe(socket.ws.OPEN);
    socket.sendRaw(kinds[2]); // the 31st
    const closed = await socket.closed;
    expect(closed).toEqual({ code: 1008, reason: 'too many refused frames' });
    const errors = socket.framesOfType('error');
    expect(errors).toHaveLength(31);
    expect(errors.map((e) => e.code)).toEqual(
      ['invalid_json', 'unknown_type', 'not_found', 'not_found', 'not_found', 'invalid_message']
        .flatMap((code) => Array(5).fill(code))
        .concat('not_found'),
    );
    // the account's other sockets carry on
    const again = await TestSocket.connect(server.wsUrl, mallory.cookie);
    again.send({ type: 'chat_message', content: 'still here', client_id: 'after-1008' });
    expect(await again.nextOfType('ack')).toMatchObject({ client_id: 'after-1008' });
    again.ws.terminate();
  });

  it('counts refusals per account too: spread over 3 sockets, the 61st refusal within 10 s closes every socket of the account', async () => {
    const eve = await registerAndLogin(server.baseUrl);
    const sockets = await Promise.all([1, 2, 3].map(() => TestSocket.connect(server.wsUrl, eve.cookie)));
    const refused = JSON.stringify({ type: 'no_such_type' });
    // 20 on each socket: under the 30 a socket may spend, 60 for the account, all answered
    for (const socket of sockets) {
      for (let i = 0; i < 20; i++) socket.sendRaw(refused);
      for (let i = 0; i < 20; i++) await socket.nextOfType('error');
    }
    expect(sockets.every((socket) => socket.ws.readyState === socket.ws.OPEN)).toBe(true);
    sockets[1].sendRaw(refused); // the account's 61st, the socket's 21st
    expect(await sockets[1].closed).toEqual({ code: 1008, reason: 'too many refused frames' });
    for (const socket of [sockets[0], sockets[2]])
      expect(await socket.closed).toEqual({ code: 1008, reason: 'too many refused frames on this account' });
  });

  it("cuts a 10-socket flood of refused frames with 1008 while other users' messages keep being acked", async () => {
    const idle = await ackLatencies(victims, 'idle');
    const flooder = spawn(process.execPath, [FLOODER, server.wsUrl, mallory.cookie, String(FLOOD_SOCKETS)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    let report = { idleP99: 0, floodP99: Infinity };
    let flooded: number[] = [];
    flooder.stdout!.on('data', (chunk) => (output += chunk));
    try {
      await new Promise<void>((resolveStart, reject) => {
        const timer = setTimeout(() => reject(new Error('the flooder did not start')), 60_000);
        flooder.stdout!.on('data', () => output.includes('flooding') && (clearTimeout(timer), resolveStart()));
        flooder.once('exit', (code) => (clearTimeout(timer), reject(new Error(`flooder exited with ${code}`))));
      });
      flooded = await ackLatencies(victims, 'flood');
      report = { idleP99: p99(idle), floodP99: p99(flooded) };
    } finally {
      const exited = new Promise((r) => flooder.once('exit', r));
      flooder.kill('SIGTERM');
      await exited;
    }
    const counts = JSON.parse(output.trim().split('\n').pop()!) as { sent: number; closes: Record<string, number> };
    process.stdout.write(
      `[flood] victims' ack p99 idle ${report.idleP99.toFixed(1)} ms, flooded ${report.floodP99.toFixed(1)} ms; flooder ${JSON.stringify(counts)}\n`,
    );
    // every victim message was acked (ackLatencies waits for each); the flood was cut, again and again
    expect(flooded).toHaveLength(VICTIMS * SAMPLES_PER_VICTIM);
    // the flood was cut: its open sockets closed with 1008, every other attempt refused (the account in debt)
    expect(counts.closes['1008']).toBeGreaterThanOrEqual(1);
    expect(counts.closes['1008'] + (counts.closes['http_429'] ?? 0)).toBeGreaterThanOrEqual(FLOOD_SOCKETS);
  }, 120_000);
});
