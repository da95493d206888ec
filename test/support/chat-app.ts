import type { LoggerService } from '@nestjs/common';
import { afterAll, beforeAll } from 'vitest';
import type { ChatOverrides } from '../../src/app.module.js';
import { registerAndLogin, type TestUser } from './http-client.js';
import { startTestApp, type TestApp } from './test-app.js';
import { TestSocket } from './ws-client.js';

/** What `startChatApp` starts: the environment on top of the test defaults, and how many users to log in. */
export interface ChatAppOptions {
  /** Users registered and logged in through the real HTTP endpoints, one after the other (ids ascending). */
  users?: number;
  env?: Record<string, string>;
  overrides?: ChatOverrides;
  logger?: LoggerService;
}

/** A running app (`startTestApp`; a cluster where a spec redirects it) with logged-in users. */
export interface ChatApp extends TestApp {
  users: TestUser[];
  /** Opens a socket as `user` and waits for its `online_users`; `close` closes it. */
  connect(user: TestUser): Promise<TestSocket>;
  /** Closes every socket `connect` opened, then the app. */
  close(): Promise<void>;
}

/** Starts the app and logs in `users` fresh users. */
export async function startChatApp(options: ChatAppOptions = {}): Promise<ChatApp> {
  const server = await startTestApp(options.env, { overrides: options.overrides, logger: options.logger });
  const users: TestUser[] = [];
  try {
    for (let i = 0; i < (options.users ?? 0); i++) users.push(await registerAndLogin(server.baseUrl));
  } catch (error) {
    await server.close();
    throw error;
  }
  const sockets: TestSocket[] = [];
  return {
    ...server,
    users,
    connect: async (user) => {
      const socket = await TestSocket.connect(server.wsUrl, user.cookie);
      sockets.push(socket);
      return socket;
    },
    close: async () => {
      await Promise.all(sockets.map((socket) => socket.close()));
      await server.close();
    },
  };
}

/**
 * A `ChatApp` for the tests of the enclosing `describe`: started in its `beforeAll`, closed
 * in its `afterAll`. The returned handle reads the started app, so use it inside tests and
 * hooks only.
 */
export function useChatApp(options: ChatAppOptions = {}): ChatApp {
  let started: ChatApp | undefined;
  beforeAll(async () => {
    started = await startChatApp(options);
  });
  afterAll(() => started?.close());
  return new Proxy({} as ChatApp, {
    get(_, key) {
      if (!started) throw new Error(`the chat app is read (${String(key)}) before its suite started`);
      return started[key as keyof ChatApp];
    },
  });
}
