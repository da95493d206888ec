import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PassportStrategy } from '@nestjs/passport';
import jwt from 'jsonwebtoken';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatModule, ChatUserDirectory, ChatWsAdapter, PresenceService } from '../../src/chat/index.js';
import { TestSocket } from '../support/ws-client.js';

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
  let app: Awaited<ReturnType<typeof NestFactory.create>>;
  let wsUrl: string;

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

    app = await NestFactory.create(TeamForumModule, { logger: false });
    app.useWebSocketAdapter(new ChatWsAdapter(app));
    await app.listen(0, '127.0.0.1');
    wsUrl = `ws://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/ws`;
  });
  afterAll(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const tokenFor = (sub: number, name: string, secret = SECRET) => jwt.sign({ sub, name }, secret, { expiresIn: 600 });

  it('accepts a valid JWT and stamps identity from it', async () => {
    const ada = await TestSocket.open(wsUrl, { headers: { authorization: `Bearer ${tokenFor(7, 'ada')}` } });
    const online = await ada.nextOfType('online_users');
    expect(online.users).toEqual([{ id: 7, nickname: 'ada' }]);
    ada.send({ type: 'chat_message', content: 'hello from a JWT', user_id: 8 });
    const message = await ada.nextOfType('chat_message');
    expect((await ada.nextOfType('ack')).id).toBe(message.id);
    expect(message).toMatchObject({ user_id: 7, nickname: 'ada', content: 'hello from a JWT' });
    ada.send({ type: 'private_message', to: 8, content: 'hi linus' });
    expect((await ada.nextOfType('ack')).id).toBeGreaterThan(message.id);
    expect(await app.get(PresenceService).online()).toEqual([{ id: 7, nickname: 'ada' }]);
    await ada.close();
  });

  it('refuses a JWT with a wrong signature or none with 401', async () => {
    const attempts: Array<Record<string, string>> = [
      { authorization: `Bearer ${tokenFor(7, 'ada', 'another-secret-another-secret-xx')}` },
      {},
    ];
    for (const headers of attempts) {
      await expect(TestSocket.open(wsUrl, { headers })).rejects.toMatchObject({ status: 401 });
    }
  });
});
