import { afterAll, describe, expect, it, vi } from 'vitest';
import { ChatClient } from '../../src/client/chat-client.js';
import type { ReadFrame } from '../../src/chat/protocol/frames.js';
import { useChatApp } from '../support/chat-app.js';
import { cookieSocket, nextEvent } from '../support/typed-client-sockets.js';

/** The page's plain-JS modules (no type declarations: loaded by path, typed here by use). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const load = (name: string): Promise<any> => import(new URL(`../../public/js/${name}`, import.meta.url).href);

/**
 * The page's read marker (`public/js/read-marker.js`) against the real server: a reader
 * watching a busy room marks it read without going over the server's `mark_read` limit, so
 * it is never closed with 1008 for the refusals others' messages would otherwise cause.
 */
describe('read marker in a busy room', () => {
  // the writer is free to flood; the reader keeps every default limit
  const server = useChatApp({ users: 2, env: { CHAT_RATE_LIMIT: 'off' } });
  const clients: ChatClient[] = [];
  afterAll(() => {
    for (const client of clients) client.close();
  });

  it('a flood of lobby messages neither closes the reader nor leaves it unread', async () => {
    const [writer, reader] = server.users;
    const { ChatState } = await load('chat-state.js');
    const { attachReadMarker } = await load('read-marker.js');
    const { CookieWebSocket, sockets } = cookieSocket(reader.cookie);
    const client = new ChatClient({ url: server.wsUrl, WebSocket: CookieWebSocket, checkSession: async () => true });
    clients.push(client);
    const state = new ChatState({ id: reader.id, nickname: reader.nickname });
    attachReadMarker({ client, state });
    client.on('chat_message', (message) => state.receive(message));
    const reads: ReadFrame[] = [];
    client.on('read', (frame) => reads.push(frame));
    const closes: number[] = [];
    const opened = nextEvent((listener) => client.on('open', listener));
    client.connect();
    await opened;
    sockets[0]!.on('close', (code) => closes.push(code));

    const flooder = await server.connect(writer);
    let lastId = 0;
    for (let i = 0; i < 300; i++) {
      flooder.send({ type: 'chat_message', content: `busy ${i}`, client_id: `busy-${i}` });
      const ack = await flooder.next((f) => f.type === 'ack' && f.client_id === `busy-${i}`);
      lastId = (ack as { id: number }).id;
      if (i % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await vi.waitFor(() => expect({ closes, read: reads.at(-1)?.id }).toEqual({ closes: [], read: lastId }), {
      timeout: 10_000,
      interval: 50,
    });
    expect(closes).toEqual([]); // never cut off (1008) for refused mark_read frames
    expect(sockets).toHaveLength(1);
    flooder.close();
  }, 60_000);
});
