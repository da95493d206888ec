import { parseDatabaseUrl } from '../drivers/database-url.js';
import type { ResolvedChatOptions } from './chat.options.js';
import type { FanoutBus } from './fanout/fanout.bus.js';
import { InMemoryFanoutBus } from './fanout/in-memory-fanout.bus.js';
import { RedisFanoutBus } from './fanout/redis-fanout.bus.js';
import type { MessageStore } from './history/message.store.js';
import { PostgresMessageStore } from './history/postgres-message.store.js';
import { SqliteMessageStore } from './history/sqlite-message.store.js';
import { InMemoryPresenceStore } from './presence/in-memory-presence.store.js';
import type { PresenceStore } from './presence/presence.store.js';
import { RedisPresenceStore } from './presence/redis-presence.store.js';
import { newNodeId } from './node-id.js';
import type { ModerationStore } from './moderation/moderation.store.js';
import { PostgresModerationStore } from './moderation/postgres-moderation.store.js';
import { SqliteModerationStore } from './moderation/sqlite-moderation.store.js';
import { createRateLimiter } from './limits/create-rate-limiter.js';
import type { RateLimiter } from './limits/rate-limiter.js';

/** The ports of one chat instance, and how to release the ones it created. */
export interface ChatPorts {
  bus: FanoutBus;
  presence: PresenceStore;
  messages: MessageStore;
  moderation: ModerationStore;
  rateLimiter: RateLimiter;
  /** Closes the ports this instance created (never the ones it was handed). */
  close(): Promise<void>;
}

/**
 * Picks each port's implementation: the one given in the options, else the embedded
 * default (in-process bus and presence, SQLite messages) or, with `redisUrl` /
 * a `postgres://` database, the cluster implementations (Redis bus and presence under
 * `redisKeyPrefix`, sharing one node id; PostgreSQL messages).
 */
export async function createChatPorts(options: ResolvedChatOptions): Promise<ChatPorts> {
  const created: Array<{ close(): Promise<void> }> = [];
  const own = <T extends { close(): Promise<void> }>(port: T): T => {
    created.push(port);
    return port;
  };
  const redisUrl = options.redisUrl;
  const nodeId = newNodeId();
  const keyPrefix = options.redisKeyPrefix;
  const redisBus =
    !options.fanoutBus && redisUrl ? own(await RedisFanoutBus.open({ url: redisUrl, keyPrefix, nodeId })) : null;
  const bus = options.fanoutBus ?? redisBus ?? own(new InMemoryFanoutBus());
  // on one Redis with the bus, presence changes are announced by the store, in change order
  const presence =
    options.presenceStore ??
    own(
      redisUrl
        ? await RedisPresenceStore.open({
            url: redisUrl,
            keyPrefix,
            nodeId,
            presenceTtlMs: options.presenceTtlMs,
            announceChannel: redisBus?.channel ?? null,
          })
        : new InMemoryPresenceStore(),
    );
  const messages =
    options.messageStore ??
    own(
      await onDatabase<MessageStore>(options.databaseUrl!, {
        sqlite: (path) => SqliteMessageStore.open(path),
        postgres: (url) => PostgresMessageStore.open(url),
      }),
    );
  const moderation =
    options.moderationStore ??
    own(
      await onDatabase<ModerationStore>(options.databaseUrl!, {
        sqlite: (path) => SqliteModerationStore.open(path),
        postgres: (url) => PostgresModerationStore.open(url),
      }),
    );
  const rateLimiter = options.rateLimiter ?? own(await createRateLimiter(options.redisUrl, options.redisKeyPrefix));
  return {
    bus,
    presence,
    messages,
    moderation,
    rateLimiter,
    close: async () => {
      for (const port of created.reverse()) await port.close();
    },
  };
}

/** A port on the database of `databaseUrl`: its SQLite implementation on a `sqlite:` file, else its PostgreSQL one. */
async function onDatabase<T>(
  databaseUrl: string,
  open: { sqlite(path: string): T; postgres(url: string): Promise<T> },
): Promise<T> {
  const location = parseDatabaseUrl(databaseUrl);
  return location.engine === 'sqlite' ? open.sqlite(location.path) : open.postgres(location.url);
}
