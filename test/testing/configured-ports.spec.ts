import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ChatModule, type ChatModuleOptions } from '../../src/chat/index.js';
import { startChatTest, TestUserDirectory } from '../../src/testing/index.js';
import {
  deleteRedisKeys,
  dropSchema,
  postgresUrlFor,
  describeWithServices,
  requireClusterServices,
  TEST_REDIS_URL,
  testNamespace,
} from '../support/services.js';

const ada = { id: 1, nickname: 'ada' };
const bob = { id: 2, nickname: 'bob' };

/** A host module whose chat runs on `options`' database (and Redis). */
const hostModule = (options: Partial<ChatModuleOptions>) =>
  Test.createTestingModule({
    imports: [
      ChatModule.forRoot({
        userDirectory: new TestUserDirectory([ada, bob]),
        databaseUrl: 'sqlite::memory:',
        ...options,
      }),
    ],
  });

describe("forum-chat/testing on the module's configured SQLite file", () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'forum-chat-kit-sqlite-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('stores in the file: a message outlives the app, unlike on the in-memory ports', async () => {
    const databaseUrl = `sqlite:${join(dataDir, 'chat.db')}`;
    const first = await startChatTest(hostModule({ databaseUrl }), { ports: 'configured' });
    const a = await first.connectAs(ada);
    a.send({ type: 'chat_message', content: 'kept on disk', client_id: 'k1' });
    await a.expectFrame('ack', { client_id: 'k1' });
    await first.close();
    const second = await startChatTest(hostModule({ databaseUrl }), { ports: 'configured' });
    const inMemory = await startChatTest(hostModule({ databaseUrl }));
    try {
      const again = await second.connectAs(ada);
      again.send({ type: 'history' });
      expect((await again.expectFrame('history')).messages.map((m) => m.content)).toEqual(['kept on disk']);
      const fresh = await inMemory.connectAs(ada);
      fresh.send({ type: 'history' });
      expect((await fresh.expectFrame('history')).messages).toEqual([]);
    } finally {
      await Promise.all([second.close(), inMemory.close()]);
    }
  });
});

const services = await requireClusterServices();

describeWithServices(services, 'forum-chat/testing on configured PostgreSQL and Redis', () => {
  const namespace = testNamespace();
  afterAll(async () => {
    await dropSchema(namespace);
    await deleteRedisKeys(`${namespace}:`);
  });

  it('two instances meet through Redis and one PostgreSQL schema', async () => {
    const options = {
      databaseUrl: postgresUrlFor(namespace),
      redisUrl: TEST_REDIS_URL,
      redisKeyPrefix: `${namespace}:`,
    };
    const one = await startChatTest(hostModule(options), { ports: 'configured' });
    const two = await startChatTest(hostModule(options), { ports: 'configured' });
    try {
      const a = await one.connectAs(ada);
      const b = await two.connectAs(bob);
      await a.expectFrame('user_joined', { user_id: bob.id });
      b.send({ type: 'private_message', to: ada.id, content: 'through redis' });
      const received = await a.expectFrame('private_message', { content: 'through redis' });
      await b.expectNoFrame('error');
      a.send({ type: 'history', with: bob.id });
      expect((await a.expectFrame('history')).messages.map((m) => m.id)).toEqual([received.id]);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});
