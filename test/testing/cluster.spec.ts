import { Test } from '@nestjs/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatModule } from '../../src/chat/index.js';
import { ChatTestCluster, CloseCode, startChatCluster, TestUserDirectory } from '../../src/testing/index.js';

const ada = { id: 1, nickname: 'ada' };
const bob = { id: 2, nickname: 'bob' };
const directory = new TestUserDirectory([ada, bob]);

describe('forum-chat/testing: two instances on one in-process bus', () => {
  let cluster: ChatTestCluster;
  beforeAll(async () => {
    cluster = await startChatCluster(2, () =>
      Test.createTestingModule({
        imports: [ChatModule.forRoot({ userDirectory: directory, databaseUrl: 'sqlite::memory:' })],
      }),
    );
  });
  afterAll(async () => {
    await cluster.close();
  });

  it('delivers a message sent on one instance to the sockets of the other, stored once', async () => {
    const [one, two] = cluster.instances;
    expect(one.url).not.toBe(two.url);
    const a = await one.connectAs(ada);
    const b = await two.connectAs(bob);
    a.send({ type: 'chat_message', content: 'across instances', client_id: 'x1' });
    const received = await b.expectFrame('chat_message', { content: 'across instances', user_id: ada.id });
    expect((await a.expectFrame('ack', { client_id: 'x1' })).id).toBe(received.id);
    b.send({ type: 'history' });
    expect((await b.expectFrame('history')).messages.map((m) => m.id)).toEqual([received.id]);
    await Promise.all([a.close(), b.close()]);
  });

  it('counts presence across instances: a second tab elsewhere announces nothing', async () => {
    const [one, two] = cluster.instances;
    const watcher = await one.connectAs(bob);
    const tab1 = await one.connectAs(ada);
    await watcher.expectFrame('user_joined', { user_id: ada.id });
    const tab2 = await two.connectAs(ada);
    await watcher.expectNoFrame('user_joined', { user_id: ada.id }, { after: tab2 });
    await tab1.close();
    await watcher.expectNoFrame('user_left', { user_id: ada.id }, { after: tab2 });
    await tab2.close();
    await watcher.expectFrame('user_left', { user_id: ada.id });
    await watcher.close();
  });

  it('ends a session on every instance with 4401', async () => {
    const [one, two] = cluster.instances;
    const here = await one.connectAs({ ...ada, sessionKey: 'shared' });
    const there = await two.connectAs({ ...ada, sessionKey: 'shared' });
    await one.endSession('shared');
    await Promise.all([here.expectClose(CloseCode.SESSION_ENDED), there.expectClose(CloseCode.SESSION_ENDED)]);
  });
});
