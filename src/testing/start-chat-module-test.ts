import { Test } from '@nestjs/testing';
import { ChatModule } from '../chat/chat.module.js';
import type { ChatModuleOptions } from '../chat/chat.options.js';
import type { PublicUser } from '../chat/protocol/frames.js';
import type { ChatUserDirectory } from '../chat/users/chat-user.directory.js';
import type { ChatTestApp } from './chat-test-app.js';
import { ChatTestOptions, startChatTest } from './start-chat-test.js';

/** Options of `startChatModuleTest`: chat options (all optional) and the kit's own. */
export interface ChatModuleTestOptions extends Omit<ChatTestOptions, 'chat' | 'onIdentity' | 'realStrategy'> {
  /** Users the directory knows from the start; every identity `connectAs` uses is added. */
  users?: PublicUser[];
  /** `ChatModule.forRoot` options; without `authStrategy` only test identities can connect. */
  chat?: Partial<ChatModuleOptions>;
}

/**
 * `ChatModule` alone, without a host app: a user directory filled by the identities the
 * test connects as (and `users`), in-memory ports, the test identity strategy. For tests
 * of the chat's behaviour that need nothing of a host.
 */
export async function startChatModuleTest(options: ChatModuleTestOptions = {}): Promise<ChatTestApp> {
  const directory = new TestUserDirectory(options.users ?? []);
  const builder = Test.createTestingModule({
    imports: [ChatModule.forRoot({ userDirectory: directory, databaseUrl: 'sqlite::memory:', ...options.chat })],
  });
  return startChatTest(builder, {
    ...options,
    realStrategy: options.chat?.authStrategy !== undefined,
    onIdentity: (identity) => directory.add(identity),
  });
}

/** A `ChatUserDirectory` over a list that grows as tests connect new users. */
export class TestUserDirectory implements ChatUserDirectory {
  private readonly users = new Map<number, PublicUser>();

  constructor(users: PublicUser[] = []) {
    for (const user of users) this.add(user);
  }

  add(user: PublicUser): void {
    this.users.set(user.id, { id: user.id, nickname: user.nickname });
  }

  async findById(id: number): Promise<PublicUser | null> {
    return this.users.get(id) ?? null;
  }

  async list(): Promise<PublicUser[]> {
    return [...this.users.values()];
  }
}
