import { Test } from '@nestjs/testing';
import { afterEach, beforeEach, describe, it } from 'vitest';
import { CloseCode, startChatTest, type ChatTestApp } from 'forum-chat/testing';
import { Bans, ForumModule, tokenFor } from './forum.module.js';

describe('banning a member', () => {
  let chat: ChatTestApp;
  beforeEach(async () => {
    chat = await startChatTest(Test.createTestingModule({ imports: [ForumModule] }));
  });
  afterEach(() => chat.close());

  it('closes their chat sockets with 4401 and refuses their next handshake', async () => {
    const moderator = await chat.connectAs({ id: 1, nickname: 'moderator' });
    const troll = await chat.connect({ authorization: `Bearer ${tokenFor(2, 'troll', 'session-2')}` });
    await moderator.expectFrame('user_joined', { user_id: 2 });

    await chat.get<Bans>(Bans).ban(2, ['session-2']);

    await troll.expectClose(CloseCode.SESSION_ENDED);
    await moderator.expectFrame('user_left', { user_id: 2, nickname: 'troll' });
    await chat.expectRefused({ authorization: `Bearer ${tokenFor(2, 'troll', 'session-3')}` }, 401);
  });

  it('leaves everyone else in the room', async () => {
    const moderator = await chat.connectAs({ id: 1, nickname: 'moderator' });
    const regular = await chat.connectAs({ id: 3, nickname: 'regular' });
    const troll = await chat.connect({ authorization: `Bearer ${tokenFor(2, 'troll', 'session-2')}` });

    await chat.get<Bans>(Bans).ban(2, ['session-2']);
    await troll.expectClose(CloseCode.SESSION_ENDED);

    moderator.send({ type: 'chat_message', content: 'carry on' });
    await regular.expectFrame('chat_message', { content: 'carry on', user_id: 1 });
    await regular.expectNoFrame('user_left', { user_id: 1 });
  });
});
