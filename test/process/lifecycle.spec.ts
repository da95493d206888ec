import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { registerAndLogin } from '../support/http-client.js';
import { spawnServer } from '../support/server-process.js';
import { TestSocket } from '../support/ws-client.js';

describe('process lifecycle', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'forum-chat-process-'));
  const env = { DATABASE_URL: `sqlite:${join(dataDir, 'chat.db')}`, CHAT_RATE_LIMIT: 'off' };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('on SIGTERM closes every socket with 1001 and exits 0 within 10 s', async () => {
    const server = await spawnServer(env);
    try {
      const user = await registerAndLogin(server.baseUrl);
      const sockets = await Promise.all([1, 2].map(() => TestSocket.connect(server.wsUrl, user.cookie)));
      const started = Date.now();
      server.child.kill('SIGTERM');
      const closes = await Promise.all(sockets.map((s) => s.closed));
      expect(closes.map((c) => c.code)).toEqual([1001, 1001]);
      expect(await server.exited).toBe(0);
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      server.child.kill('SIGKILL');
    }
  });

  it('keeps every acked message when killed with SIGKILL right after the acks', async () => {
    const first = await spawnServer(env);
    let user;
    const acked: number[] = [];
    try {
      user = await registerAndLogin(first.baseUrl);
      const socket = await TestSocket.connect(first.wsUrl, user.cookie);
      const count = 200;
      for (let i = 0; i < count; i++)
        socket.send({ type: 'chat_message', content: `durable ${i}`, client_id: `d-${i}` });
      for (let i = 0; i < count; i++) acked.push((await socket.nextOfType('ack')).id);
      first.child.kill('SIGKILL');
      expect(await first.exited).toBe('SIGKILL');
    } finally {
      first.child.kill('SIGKILL');
    }
    const second = await spawnServer(env);
    try {
      const socket = await TestSocket.connect(second.wsUrl, user!.cookie);
      socket.send({ type: 'resume', since: acked[0] - 1 });
      await socket.nextOfType('resumed');
      const replayed = socket.framesOfType('chat_message').map((m) => m.id);
      expect(replayed).toEqual(acked);
      await socket.close();
    } finally {
      second.child.kill('SIGKILL');
    }
  });
});
