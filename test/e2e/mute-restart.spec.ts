import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { chatAdmin, MODERATION_ADMIN_TOKEN } from '../support/chat-admin.js';
import { login, registerAndLogin } from '../support/http-client.js';
import { startTestApp } from '../support/test-app.js';
import { TestSocket } from '../support/ws-client.js';

describe('a mute survives a restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'forum-chat-mute-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is still in force after the server restarts on the same database, with the time left', async () => {
    const env = { ADMIN_TOKEN: MODERATION_ADMIN_TOKEN };
    const first = await startTestApp(env, { dataDir });
    const troll = await registerAndLogin(first.baseUrl, `troll${process.pid}`);
    expect((await chatAdmin(first.baseUrl, 'PUT', `/mutes/lobby/${troll.id}`, { duration_ms: 3_600_000 })).status).toBe(
      200,
    );
    await first.close();

    const second = await startTestApp(env, { dataDir });
    try {
      const again = await login(second.baseUrl, `troll${process.pid}`, 'correct horse battery');
      const socket = await TestSocket.connect(second.wsUrl, again.cookie);
      socket.send({ type: 'chat_message', content: 'I am back' });
      const error = await socket.nextOfType('error');
      expect(error).toMatchObject({ code: 'forbidden' });
      expect(error.retry_after_ms).toBeGreaterThan(3_500_000);
      expect((await chatAdmin(second.baseUrl, 'GET', '/mutes')).body.mutes).toHaveLength(1);
      await socket.close();
    } finally {
      await second.close();
    }
  });
});
