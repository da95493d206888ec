import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PassportStrategy } from '@nestjs/passport';
import { Test } from '@nestjs/testing';
import jwt from 'jsonwebtoken';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChatModule, ChatWsAdapter, PresenceService } from '../../src/chat/index.js';
import { TestIdentityStrategy, TEST_IDENTITY_HEADER } from '../../src/testing/test-identity.js';
import { ChatTestApp, ChatTestSocket, startChatTest, TestUserDirectory } from '../../src/testing/index.js';

const SECRET = 'host-secret-host-secret-host-secret!';

/** The host's members, served by its own service. */
@Injectable()
class Members extends TestUserDirectory {
  constructor() {
    super([
      { id: 10, nickname: 'mod' },
      { id: 11, nickname: 'member' },
    ]);
  }
}

/** The host's strategy returns its own shape; the host maps it with `toPrincipal`. */
@Injectable()
class HostJwtStrategy extends PassportStrategy(Strategy, 'host-jwt') {
  constructor() {
    super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: SECRET, algorithms: ['HS256'] });
  }
  validate(payload: { sub: number; name: string }) {
    return { userId: payload.sub, username: payload.name };
  }
}

@Module({ providers: [Members, HostJwtStrategy], exports: [Members] })
class MembersModule {}

/** The host's root module, its chat messages in `databaseUrl`. */
function hostModule(databaseUrl: string) {
  @Module({
    imports: [
      ChatModule.forRootAsync({
        imports: [MembersModule],
        inject: [Members],
        useFactory: (members: Members) => ({
          userDirectory: members,
          authStrategy: 'host-jwt',
          toPrincipal: (user: unknown) => {
            const { userId, username } = user as { userId: number; username: string };
            return { id: userId, nickname: username, sessionKey: null, expiresAt: null };
          },
          databaseUrl,
        }),
      }),
    ],
  })
  class HostModule {}
  return HostModule;
}

/** Where the host's configuration puts the chat's messages: never created under the kit. */
const configuredDatabase = join(tmpdir(), `forum-chat-kit-${process.pid}`, 'chat.db');

const bearer = (sub: number, name: string) => ({ authorization: `Bearer ${jwt.sign({ sub, name }, SECRET)}` });

describe('forum-chat/testing on a host module with its own strategy and providers', () => {
  let chat: ChatTestApp;
  beforeAll(async () => {
    const builder = Test.createTestingModule({ imports: [hostModule(`sqlite:${configuredDatabase}`)] })
      .overrideProvider(Members)
      .useValue(
        new TestUserDirectory([
          { id: 10, nickname: 'overridden-mod' },
          { id: 11, nickname: 'member' },
        ]),
      );
    chat = await startChatTest(builder);
  });
  afterAll(async () => {
    await chat.close();
  });

  it('runs on in-memory ports: the configured database file is never opened', async () => {
    const member = await chat.connectAs({ id: 11, nickname: 'member' });
    member.send({ type: 'chat_message', content: 'stored in memory', client_id: 'm1' });
    await member.expectFrame('ack', { client_id: 'm1' });
    expect(existsSync(dirname(configuredDatabase))).toBe(false);
    await member.close();
  });

  it('connects through the host’s real strategy and through the test identity side by side', async () => {
    const viaJwt = await chat.connect(bearer(10, 'mod'));
    expect(viaJwt.online?.users).toContainEqual({ id: 10, nickname: 'mod' });
    const viaKit = await chat.connectAs({ id: 11, nickname: 'member' });
    viaKit.send({ type: 'private_message', to: 10, content: 'hi mod' });
    await viaJwt.expectFrame('private_message', { user_id: 11, to: 10, content: 'hi mod' });
    expect(await chat.get<PresenceService>(PresenceService).online()).toEqual([
      { id: 10, nickname: 'mod' },
      { id: 11, nickname: 'member' },
    ]);
    await chat.expectRefused({ authorization: 'Bearer not-a-token' }, 401);
    await Promise.all([viaJwt.close(), viaKit.close()]);
  });

  it('keeps the host’s overrideProvider: the directory the chat asks is the overridden one', async () => {
    const member = await chat.connectAs({ id: 11, nickname: 'member' });
    member.send({ type: 'private_message', to: 10, content: 'who are you' });
    member.send({ type: 'conversations' });
    const conversations = await member.expectFrame('conversations');
    expect(conversations.users.map((user) => user.nickname)).toEqual(['overridden-mod']);
    await member.close();
  });
});

describe('the test identity cannot be enabled outside a testing module', () => {
  it('startChatTest refuses anything but a TestingModuleBuilder', async () => {
    await expect(startChatTest({} as never)).rejects.toThrow(/needs a TestingModuleBuilder/);
  });

  it('startChatTest refuses to run with NODE_ENV=production', async () => {
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await expect(
        startChatTest(Test.createTestingModule({ imports: [hostModule('sqlite::memory:')] })),
      ).rejects.toThrow(/NODE_ENV=production/);
    } finally {
      process.env.NODE_ENV = previous;
    }
  });

  it('an app built without the kit refuses a valid ticket of an installed test strategy with 401', async () => {
    const app = await NestFactory.create(hostModule('sqlite::memory:'), { logger: false });
    app.useWebSocketAdapter(new ChatWsAdapter(app));
    await app.listen(0, '127.0.0.1');
    const identity = new TestIdentityStrategy();
    identity.install();
    try {
      const url = `ws://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/ws`;
      const ticket = identity.issue({ id: 10, nickname: 'mod' });
      await expect(ChatTestSocket.open(url, { [TEST_IDENTITY_HEADER]: ticket })).rejects.toMatchObject({ status: 401 });
      const viaJwt = await ChatTestSocket.open(url, bearer(10, 'mod'));
      await viaJwt.expectFrame('online_users');
      await viaJwt.close();
    } finally {
      identity.uninstall();
      await app.close();
    }
  });
});
