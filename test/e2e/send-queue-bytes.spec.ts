import { beforeAll, describe, expect, it } from 'vitest';
import type { TestUser } from '../support/http-client.js';
import { useChatApp } from '../support/chat-app.js';
import { throttleReading } from '../support/throttled-reader.js';
import { TestSocket } from '../support/ws-client.js';

/** Fewer than CHAT_SEND_QUEUE_LIMIT (256): counted in frames alone, these never cut anyone off. */
const MESSAGES = 200;
const CONTENT = 'b'.repeat(100_000);
/** The reader takes at most this many bytes every 10 ms: about 2 MB/s. */
const BYTES_PER_TICK = 20_000;

describe('a slow reader of large frames (CHAT_SEND_QUEUE_BYTES=1048576, CHAT_SEND_QUEUE_LIMIT=256)', () => {
  const server = useChatApp({
    users: 3,
    env: {
      CHAT_RATE_LIMIT: 'off',
      CHAT_MAX_FRAME_BYTES: '200000',
      CHAT_MAX_CONTENT_CHARS: '100000',
      CHAT_SEND_QUEUE_BYTES: '1048576',
    },
  });
  let writer: TestUser, slow: TestUser, steady: TestUser;
  beforeAll(() => void ([writer, slow, steady] = server.users));

  it('is cut off with 1013 once more bytes than the bound wait for it, while fewer frames than the frame limit do', async () => {
    const sender = await TestSocket.connect(server.wsUrl, writer.cookie);
    const reader = await TestSocket.connect(server.wsUrl, slow.cookie);
    const other = await TestSocket.connect(server.wsUrl, steady.cookie);
    const release = throttleReading(reader, BYTES_PER_TICK);
    try {
      for (let i = 0; i < MESSAGES; i++) sender.send({ type: 'chat_message', content: CONTENT, client_id: `big-${i}` });
      await sender.next((f) => f.type === 'ack' && f.client_id === `big-${MESSAGES - 1}`, 60_000);
      expect(await reader.closed).toEqual({ code: 1013, reason: 'slow consumer' });
      // fewer than the frame limit reached it, and everyone who reads got everything
      expect(reader.framesOfType('chat_message').length).toBeLessThan(MESSAGES);
      for (let i = 0; i < MESSAGES; i++)
        await other.next((f) => f.type === 'chat_message' && f.content === CONTENT, 30_000);
    } finally {
      release();
    }
    await Promise.all([sender.close(), other.close()]);
  }, 120_000);
});
