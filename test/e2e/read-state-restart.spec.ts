import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AckFrame } from '../../src/chat/protocol/frames.js';
import { login, registerAndLogin } from '../support/http-client.js';
import { startTestApp } from '../support/test-app.js';
import { TestSocket } from '../support/ws-client.js';

describe('read positions survive a restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'forum-chat-reads-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('answers the same read position and unread count after the server restarts on the same database', async () => {
    const first = await startTestApp({}, { dataDir });
    const reader = await registerAndLogin(first.baseUrl, `reader${process.pid}`);
    const writer = await registerAndLogin(first.baseUrl, `writer${process.pid}`);
    const [readerSocket, writerSocket] = await Promise.all([
      TestSocket.connect(first.wsUrl, reader.cookie),
      TestSocket.connect(first.wsUrl, writer.cookie),
    ]);
    const acks: AckFrame[] = [];
    for (const content of ['one', 'two', 'three']) {
      writerSocket.send({ type: 'private_message', to: reader.id, content });
      acks.push(await writerSocket.nextOfType('ack'));
    }
    readerSocket.send({ type: 'mark_read', with: writer.id, id: acks[0].id });
    expect(await readerSocket.nextOfType('read')).toMatchObject({ id: acks[0].id, unread: 2 });
    await Promise.all([readerSocket.close(), writerSocket.close()]);
    await first.close();

    const second = await startTestApp({}, { dataDir });
    try {
      const again = await login(second.baseUrl, reader.nickname, reader.password);
      const socket = await TestSocket.connect(second.wsUrl, again.cookie);
      socket.send({ type: 'conversations' });
      const { users } = await socket.nextOfType('conversations');
      expect(users).toEqual([expect.objectContaining({ id: writer.id, read_id: acks[0].id, unread: 2 })]);
      await socket.close();
    } finally {
      await second.close();
    }
  });
});
