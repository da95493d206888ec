import { parseDatabaseUrl } from '../database/database-url.js';
import type { ResolvedChatOptions } from './chat.options.js';
import type { FanoutBus } from './fanout/fanout.bus.js';
import { InMemoryFanoutBus } from './fanout/in-memory-fanout.bus.js';
import type { MessageStore } from './history/message.store.js';
import { SqliteMessageStore } from './history/sqlite-message.store.js';
import { InMemoryPresenceStore } from './presence/in-memory-presence.store.js';
import type { PresenceStore } from './presence/presence.store.js';

/** The ports of one chat instance, and how to release the ones it created. */
export interface ChatPorts {
  bus: FanoutBus;
  presence: PresenceStore;
  messages: MessageStore;
  /** Closes the ports this instance created (never the ones it was handed). */
  close(): Promise<void>;
}

/**
 * Picks each port's implementation: the one given in the options, else the embedded
 * default (in-process bus and presence, SQLite messages) or, with `redisUrl` /
 * a `postgres://` database, the cluster implementations.
 */
export async function createChatPorts(options: ResolvedChatOptions): Promise<ChatPorts> {
  const created: Array<{ close(): Promise<void> }> = [];
  const own = <T extends { close(): Promise<void> }>(port: T): T => {
    created.push(port);
    return port;
  };
  if (options.redisUrl && (!options.fanoutBus || !options.presenceStore)) {
    throw new Error('cluster mode (REDIS_URL) is not available in this build');
  }
  const bus = options.fanoutBus ?? own(new InMemoryFanoutBus());
  const presence = options.presenceStore ?? own(new InMemoryPresenceStore());
  let messages = options.messageStore;
  if (!messages) {
    const location = parseDatabaseUrl(options.databaseUrl);
    if (location.engine !== 'sqlite') throw new Error('PostgreSQL message storage is not available in this build');
    messages = own(SqliteMessageStore.open(location.path));
  }
  return {
    bus,
    presence,
    messages,
    close: async () => {
      for (const port of created.reverse()) await port.close();
    },
  };
}
