import { Injectable, Module } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Test } from '@nestjs/testing';
import jwt from 'jsonwebtoken';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatModule, ChatSessions, CloseCode } from '../../src/chat/index.js';
import { ChatTestApp, startChatTest, TestUserDirectory } from '../../src/testing/index.js';

const SECRET = 'end-user-secret-end-user-secret-!!';

/** A host's stock JWT strategy: stateless tokens, no session the chat could end. */
@Injectable()
class StockJwtStrategy extends PassportStrategy(Strategy, 'stock-jwt') {
  constructor() {
    super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: SECRET, algorithms: ['HS256'] });
  }
  validate(payload: { sub: number; username: string }) {
    return { userId: payload.sub, username: payload.username };
  }
}

@Module({
  imports: [
    ChatModule.forRoot({
      userDirectory: new TestUserDirectory([
        { id: 7, nickname: 'ada' },
        { id: 8, nickname: 'linus' },
        { id: 9, nickname: 'grace' },
      ]),
      authStrategy: 'stock-jwt',
      toPrincipal: (user: { userId: number; username: string }) => ({ id: user.userId, nickname: user.username }),
    }),
  ],
  providers: [StockJwtStrategy],
})
class HostModule {}

/** A fresh token per call, as each tab of a browser that logged in twice would hold. */
const bearer = (sub: number, username: string) => ({
  authorization: `Bearer ${jwt.sign({ sub, username, jti: `${sub}-${Math.random()}` }, SECRET, { expiresIn: 600 })}`,
});

describe('ChatSessions.endUser: a host ends every socket of a user with stateless tokens', () => {
  let chat: ChatTestApp;
  beforeAll(async () => {
    chat = await startChatTest(Test.createTestingModule({ imports: [HostModule] }));
  });
  afterAll(() => chat?.close());

  it("closes both of the user's tabs with 4401, on the host's call, and leaves another user's socket open", async () => {
    const linus = await chat.connect(bearer(8, 'linus'));
    const [tab1, tab2] = [await chat.connect(bearer(7, 'ada')), await chat.connect(bearer(7, 'ada'))];
    await linus.expectFrame('user_joined', { user_id: 7 });

    expect(await chat.get<ChatSessions>(ChatSessions).endUser(7)).toBe(true);

    const closes = await Promise.all([tab1.expectClose(), tab2.expectClose()]);
    expect(closes.map((closed) => closed.code)).toEqual([CloseCode.SESSION_ENDED, CloseCode.SESSION_ENDED]);
    await linus.expectFrame('user_left', { user_id: 7 });
    linus.send({ type: 'chat_message', content: 'still here', client_id: 'after-end' });
    await linus.expectFrame('ack', { client_id: 'after-end' });
    await linus.expectFrame('chat_message', { content: 'still here', user_id: 8 });
    // the ended user may come back with a token of their own: nothing was revoked but the sockets
    const again = await chat.connect(bearer(7, 'ada'));
    await again.roundTrip();
    await again.close();
    await linus.close();
  });

  it("is the test kit's endUser, which ends the users it names and no one else", async () => {
    const grace = await chat.connect(bearer(9, 'grace'));
    const linus = await chat.connect(bearer(8, 'linus'));
    const ada = await chat.connectAs({ id: 7, nickname: 'ada' });
    await chat.endUser(8, 7);
    await Promise.all([linus.expectClose(CloseCode.SESSION_ENDED), ada.expectClose(CloseCode.SESSION_ENDED)]);
    await grace.expectFrame('user_left', { user_id: 8 });
    await grace.expectFrame('user_left', { user_id: 7 });
    await grace.roundTrip();
    await grace.close();
  });
});
