import { beforeAll, describe, expect, it } from 'vitest';
import { JsonLogger } from '../../src/logging/json.logger.js';
import { postJson, TestUser } from '../support/http-client.js';
import { TestSocket } from '../support/ws-client.js';
import { useChatApp } from '../support/chat-app.js';

type LogRecord = Record<string, unknown> & { level: string; message: string; context?: string };

/** Resolves once `condition` holds, checking after each new log line; rejects after `timeoutMs`. */
function untilLogged(lines: string[], condition: (records: LogRecord[]) => boolean, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const check = () => {
      if (condition(lines.map((line) => JSON.parse(line) as LogRecord))) return resolve();
      if (Date.now() - started > timeoutMs)
        return reject(new Error(`not logged within ${timeoutMs} ms:\n${lines.join('\n')}`));
      setTimeout(check, 10);
    };
    check();
  });
}

describe('structured logs of an e2e run', () => {
  const lines: string[] = [];
  const server = useChatApp({ users: 2, logger: new JsonLogger((line) => lines.push(line)) });
  const secretContent = `public words nobody logs ${process.pid}`;
  const privateContent = `private words nobody logs ${process.pid}`;
  let alice: TestUser, bob: TestUser;
  beforeAll(() => void ([alice, bob] = server.users));

  it('logs one JSON line per connection open and close, with ids and close code, and never a secret or message text', async () => {
    const a = await TestSocket.connect(server.wsUrl, alice.cookie);
    const b = await TestSocket.connect(server.wsUrl, bob.cookie);
    a.send({ type: 'chat_message', content: secretContent, client_id: 'log-1' });
    await b.next((f) => f.type === 'chat_message' && f.content === secretContent);
    a.send({ type: 'private_message', to: bob.id, content: privateContent });
    await b.next((f) => f.type === 'private_message' && f.content === privateContent);
    a.sendRaw(`{"type":"chat_message","content":"${secretContent} broken`);
    await a.nextOfType('error');
    await expect(
      TestSocket.open(server.wsUrl, { headers: { authorization: `Bearer ${bob.token}x` } }),
    ).rejects.toMatchObject({
      status: 401,
    });
    expect(
      (await postJson(server.baseUrl, '/api/auth/login', { login: alice.nickname, password: `${alice.password}!` }))
        .status,
    ).toBe(401);

    expect((await postJson(server.baseUrl, '/api/auth/logout', undefined, { cookie: bob.cookie })).status).toBe(204);
    expect((await b.closed).code).toBe(4401);
    await a.close();

    await untilLogged(lines, (records) => records.filter((r) => r.message === 'connection closed').length === 2);
    const records = lines.map((line) => JSON.parse(line) as LogRecord);
    const opened = records.filter((r) => r.message === 'connection opened');
    const closed = records.filter((r) => r.message === 'connection closed');
    expect(opened).toHaveLength(2);
    expect(opened.map((r) => r.user_id).sort()).toEqual([alice.id, bob.id].sort());
    for (const record of [...opened, ...closed]) {
      expect(record).toMatchObject({ level: 'log', context: 'ChatConnection' });
      expect(record.connection_id).toEqual(expect.any(Number));
      expect(record.timestamp).toEqual(expect.any(Number));
    }
    const closeOf = (userId: number) => closed.find((r) => r.user_id === userId)!;
    expect(closeOf(bob.id)).toMatchObject({
      code: 4401,
      connection_id: opened.find((r) => r.user_id === bob.id)!.connection_id,
    });
    expect(closeOf(alice.id)).toMatchObject({ code: 1005 });
    expect(closeOf(alice.id).duration_ms).toEqual(expect.any(Number));

    const everything = lines.join('\n');
    for (const secret of [alice.password, alice.token, bob.token, secretContent, privateContent, 'session_id=']) {
      expect(everything).not.toContain(secret);
    }
  });
});
