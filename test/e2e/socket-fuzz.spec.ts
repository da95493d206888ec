import type { LoggerService } from '@nestjs/common';
import fc from 'fast-check';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessageFrame, ServerFrame } from '../../src/chat/protocol/frames.js';
import { registerAndLogin, TestUser } from '../support/http-client.js';
import { fuzzFrame, FuzzFrame } from '../support/hostile-frames.js';
import { startTestApp, TestApp } from '../support/test-app.js';
import { TestSocket } from '../support/ws-client.js';

// defaults keep `npm test` bounded; FUZZ_CLIENTS / FUZZ_FRAMES / FUZZ_SEED widen a manual run
const FUZZERS = Number(process.env.FUZZ_CLIENTS ?? 20);
const FRAMES_PER_FUZZER = Number(process.env.FUZZ_FRAMES ?? 500);
const GOOD_MESSAGES = 150;
const SEED = Number(process.env.FUZZ_SEED ?? 20261126);

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

/** Collects what the server logs at error level (and warnings), to assert there are none. */
class RecordingLogger implements LoggerService {
  readonly errors: string[] = [];
  readonly warnings: string[] = [];
  log(): void {}
  debug(): void {}
  verbose(): void {}
  warn(message: unknown): void {
    this.warnings.push(String(message));
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.errors.push([message, ...rest].map(String).join(' '));
  }
  fatal(message: unknown): void {
    this.errors.push(String(message));
  }
}

describe('socket-level fuzz', () => {
  let server: TestApp;
  const logger = new RecordingLogger();
  const unhandled: unknown[] = [];
  const onUnhandled = (error: unknown) => unhandled.push(error);

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    process.on('uncaughtException', onUnhandled);
    server = await startTestApp(
      {
        CHAT_RATE_LIMIT: '100/1s,burst=200',
        CHAT_HANDSHAKE_RATE_PER_IP: 'off',
        AUTH_REGISTER_RATE_PER_IP: 'off',
        AUTH_LOGIN_RATE_PER_IP: 'off',
      },
      { logger },
    );
  });
  afterAll(async () => {
    await server.close();
    process.off('unhandledRejection', onUnhandled);
    process.off('uncaughtException', onUnhandled);
  });

  /** Sends `frames`, reconnecting whenever the server closes the socket; resolves the close codes seen. */
  async function fuzz(user: TestUser, frames: FuzzFrame[]): Promise<number[]> {
    const closes: number[] = [];
    let socket = await TestSocket.connect(server.wsUrl, user.cookie);
    for (let i = 0; i < frames.length; i++) {
      if (socket.ws.readyState !== socket.ws.OPEN) {
        closes.push((await socket.closed).code);
        socket = await TestSocket.connect(server.wsUrl, user.cookie);
      }
      const frame = frames[i];
      if (frame.kind === 'binary') socket.sendRaw(frame.data, true);
      else socket.sendRaw(frame.data);
      if (i % 25 === 24) {
        // a marker request whose answer (its reply, or rate_limited) proves the frames before it were handled
        const marker = socket.frames.length;
        socket.send({ type: 'join' });
        const answered = (f: ServerFrame) =>
          socket.frames.indexOf(f) >= marker && (f.type === 'online_users' || (f.type === 'error' && f.ref === 'join'));
        await socket.next(answered, 10_000).catch(() => undefined); // or the socket was closed meanwhile
      }
    }
    if (socket.ws.readyState === socket.ws.OPEN) await socket.close();
    else closes.push((await socket.closed).code);
    return closes;
  }

  it(`${FUZZERS} clients × ${FRAMES_PER_FUZZER} hostile frames while a well-behaved client's messages all arrive in order`, async () => {
    const fuzzUsers: TestUser[] = [];
    for (let i = 0; i < FUZZERS; i++) fuzzUsers.push(await registerAndLogin(server.baseUrl));
    const good = await registerAndLogin(server.baseUrl);
    const watcherUser = await registerAndLogin(server.baseUrl);

    // warm up every code path the fuzz reaches (JIT, buffer pools, prepared statements), then take the baseline
    const warmUp = (i: number) => fc.sample(fuzzFrame, { numRuns: 100, seed: SEED - 1000 - i });
    await Promise.all(fuzzUsers.map((user, i) => fuzz(user, warmUp(i))));
    const heapBefore = heapAfterGc();

    const sender = await TestSocket.connect(server.wsUrl, good.cookie);
    const watcher = await TestSocket.connect(server.wsUrl, watcherUser.cookie);
    const framesOf = (i: number) => fc.sample(fuzzFrame, { numRuns: FRAMES_PER_FUZZER, seed: SEED + i });
    const fuzzing = Promise.all(fuzzUsers.map((user, i) => fuzz(user, framesOf(i))));

    const goodSending = (async () => {
      for (let i = 1; i <= GOOD_MESSAGES; i++) {
        sender.send({ type: 'chat_message', content: `good ${i}`, client_id: `g${i}` });
        if (i % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const [closes] = await Promise.all([fuzzing, goodSending]);
    await sender.next((f) => f.type === 'ack' && f.client_id === `g${GOOD_MESSAGES}`, 20_000);
    await watcher.next((f) => f.type === 'chat_message' && f.content === `good ${GOOD_MESSAGES}`, 20_000);

    const acks = sender.framesOfType('ack');
    expect(acks.map((a) => a.client_id)).toEqual(Array.from({ length: GOOD_MESSAGES }, (_, i) => `g${i + 1}`));
    expect(sender.framesOfType('error')).toEqual([]);
    const seen = watcher.framesOfType('chat_message').filter((m: ChatMessageFrame) => m.user_id === good.id);
    expect(seen.map((m) => m.content)).toEqual(Array.from({ length: GOOD_MESSAGES }, (_, i) => `good ${i + 1}`));
    const ids = watcher.framesOfType('chat_message').map((m) => m.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(seen.map((m) => m.id)).toEqual(acks.map((a) => a.id));
    expect(sender.ws.readyState).toBe(sender.ws.OPEN);
    expect(watcher.ws.readyState).toBe(watcher.ws.OPEN);

    const closeCodes = closes.flat();
    // documented close codes only (1013: a fuzzing client sharing this process may read too slowly)
    for (const code of closeCodes) expect([1003, 1007, 1008, 1009, 1013]).toContain(code);
    expect(logger.errors).toEqual([]);
    expect(unhandled).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    await Promise.all([sender.close(), watcher.close()]);
    // what the test's own clients recorded is not the server's memory
    sender.frames.length = 0;
    watcher.frames.length = 0;
    const heapAfter = heapAfterGc();
    const counts = closeCodes.reduce<Record<number, number>>(
      (table, code) => ({ ...table, [code]: (table[code] ?? 0) + 1 }),
      {},
    );
    console.log(
      `fuzz: ${FUZZERS * FRAMES_PER_FUZZER} hostile frames from ${FUZZERS} clients (seed ${SEED}), closes ${JSON.stringify(counts)}; ` +
        `heap before ${(heapBefore / 1048576).toFixed(1)} MB, after ${(heapAfter / 1048576).toFixed(1)} MB`,
    );
    expect(heapAfter - heapBefore).toBeLessThan(20 * 1048576);
  }, 120_000);
});
