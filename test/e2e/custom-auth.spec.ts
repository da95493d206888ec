import { Injectable, Module } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Test } from '@nestjs/testing';
import jwt from 'jsonwebtoken';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatModule, ChatUserDirectory, PresenceService } from '../../src/chat/index.js';
import { ChatTestApp, startChatTest } from '../../src/testing/index.js';

const SECRET = 'a-team-secret-of-at-least-32-bytes!!';

/** A team's own user list: the chat only needs ids and nicknames. */
class TeamUsers implements ChatUserDirectory {
  private readonly users = [
    { id: 7, nickname: 'ada' },
    { id: 8, nickname: 'linus' },
  ];
  async findById(id: number) {
    return this.users.find((u) => u.id === id) ?? null;
  }
  async list() {
    return this.users;
  }
}

/** The team's JWT strategy; `validate` returns what the chat's principal needs. */
@Injectable()
class TeamJwtStrategy extends PassportStrategy(Strategy, 'team-jwt') {
  constructor() {
    super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: SECRET, algorithms: ['HS256'] });
  }
  validate(payload: { sub: number; name: string; exp: number }) {
    return { id: payload.sub, nickname: payload.name, expiresAt: payload.exp * 1000 };
  }
}

describe('ChatModule inside another Nest app with its own Passport strategy', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'forum-chat-jwt-'));
  let chat: ChatTestApp;

  beforeAll(async () => {
    @Module({
      imports: [
        ChatModule.forRoot({
          userDirectory: new TeamUsers(),
          authStrategy: 'team-jwt',
          databaseUrl: `sqlite:${join(dataDir, 'team.db')}`,
        }),
      ],
      providers: [TeamJwtStrategy],
    })
    class TeamForumModule {}

    // the team's module as it is, on the ports it configures (its SQLite file)
    chat = await startChatTest(Test.createTestingModule({ imports: [TeamForumModule] }), { ports: 'configured' });
  });
  afterAll(async () => {
    await chat.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const tokenFor = (sub: number, name: string, secret = SECRET) => jwt.sign({ sub, name }, secret, { expiresIn: 600 });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('accepts a valid JWT and stamps identity from it', async () => {
    const ada = await chat.connect(bearer(tokenFor(7, 'ada')));
    expect(ada.online?.users).toEqual([{ id: 7, nickname: 'ada' }]);
    ada.send({ type: 'chat_message', content: 'hello from a JWT', user_id: 8 } as never);
    const message = await ada.expectFrame('chat_message', { user_id: 7, nickname: 'ada', content: 'hello from a JWT' });
    expect((await ada.expectFrame('ack')).id).toBe(message.id);
    ada.send({ type: 'private_message', to: 8, content: 'hi linus' });
    expect((await ada.expectFrame('ack')).id).toBeGreaterThan(message.id);
    expect(await chat.get<PresenceService>(PresenceService).online()).toEqual([{ id: 7, nickname: 'ada' }]);
    await ada.close();
  });

  it('refuses a JWT with a wrong signature or none with 401', async () => {
    await chat.expectRefused(bearer(tokenFor(7, 'ada', 'another-secret-another-secret-xx')), 401);
    await chat.expectRefused({}, 401);
  });
});
