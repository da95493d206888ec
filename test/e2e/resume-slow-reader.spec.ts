import { beforeAll, describe, expect, it } from 'vitest';
import type { TestUser } from '../support/http-client.js';
import { useChatApp } from '../support/chat-app.js';
import { throttleReading } from '../support/throttled-reader.js';
import { TestSocket } from '../support/ws-client.js';

const STORED = 400;
const CONTENT = 'r'.repeat(15_000);
/** The reader takes at most this many bytes every 10 ms: about 1 MB/s. */
const BYTES_PER_TICK = 10_000;

describe('resume behind a slow but steady reader (CHAT_SEND_QUEUE_LIMIT=64)', () => {
  const server = useChatApp({
    users: 2,
    env: {
      CHAT_RATE_LIMIT: 'off',
      CHAT_MAX_FRAME_BYTES: '20000',
      CHAT_MAX_CONTENT_CHARS: '16000',
      CHAT_SEND_QUEUE_LIMIT: '64',
    },
  });
  let writer: TestUser, reader: TestUser;
  beforeAll(() => void ([writer, reader] = server.users));

  it('gets every stored message and the live ones sent meanwhile, and is not cut with 1013', async () => {
    const sender = await TestSocket.connect(server.wsUrl, writer.cookie);
    for (let i = 0; i < STORED; i++) sender.send({ type: 'chat_message', content: CONTENT, client_id: `old-${i}` });
    await sender.next((f) => f.type === 'ack' && f.client_id === `old-${STORED - 1}`, 20_000);

    const resuming = await TestSocket.connect(server.wsUrl, reader.cookie);
    const release = throttleReading(resuming, BYTES_PER_TICK);
    resuming.send({ type: 'resume', since: 0 });
    // live traffic for the resuming socket while the resume is under way
    let live = 0;
    const done = resuming.nextOfType('resumed', 25_000);
    let finished = false;
    void done.finally(() => (finished = true)).catch(() => undefined);
    while (!finished && live < 400) {
      sender.send({ type: 'chat_message', content: `live ${live}`, client_id: `live-${live++}` });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const resumed = await done;
    release();
    sender.send({ type: 'chat_message', content: 'sentinel' });
    await resuming.next((f) => f.type === 'chat_message' && f.content === 'sentinel', 15_000);

    expect(live).toBeGreaterThan(0);
    expect(resumed.has_more).toBe(false);
    const replayed = resuming.framesOfType('chat_message').filter((f) => f.content === CONTENT);
    expect(replayed).toHaveLength(STORED);
    const liveSeen = resuming.framesOfType('chat_message').filter((f) => f.content.startsWith('live '));
    expect(liveSeen).toHaveLength(live);
    await Promise.all([resuming.close(), sender.close()]);
  });
});
