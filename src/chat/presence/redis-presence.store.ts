import { Logger } from '@nestjs/common';
import {
  closeRedis,
  isReady,
  openRedis,
  REDIS_START_TIMEOUT_MS,
  RedisClient,
  waitReady,
} from '../../drivers/redis-connection.js';
import { isRedisClusterUrl } from '../../drivers/redis-url.js';
import { RedisChannels } from '../fanout/redis-channels.js';
import type { PublicUser } from '../protocol/frames.js';
import { timestamp } from '../protocol/timestamp.js';
import { presenceTimings, PresenceTimings } from './presence-timings.js';
import { PresenceStore } from './presence.store.js';
import { presenceScripts } from './redis-presence.scripts.js';

type Listener = (users: PublicUser[]) => void;

/** Nodes reaped per sweep call (the sweep repeats until none is left). */
const REAP_BATCH = 16;

function pairsToUsers(flat: string[]): PublicUser[] {
  const users: PublicUser[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) users.push({ id: Number(flat[i]), nickname: flat[i + 1] });
  return users;
}

/** Settings of a `RedisPresenceStore`. */
export interface RedisPresenceOptions {
  url: string;
  keyPrefix: string;
  nodeId: string;
  presenceTtlMs: number;
  /**
   * The Redis fan-out channel (`RedisFanoutBus.channel` of the same deployment): when set,
   * the store publishes `user_joined` / `user_left` there itself, atomically with each
   * change (`announcesChanges`), so announcements made by different nodes reach everyone
   * in the order the changes happened. Null: it only reports changes, as the port says.
   */
  announceChannel: string | null;
}

/**
 * `PresenceStore` shared by every node through Redis (atomic Lua scripts, see
 * `redis-presence.scripts.ts`). Each node keeps a deadline in Redis that it pushes
 * forward with a heartbeat; a node that stops (SIGKILL, lost host) is declared dead by the
 * first other node whose sweep finds its deadline passed, and that node alone reports the
 * dead node's users that are present nowhere else — within `presenceTtlMs` of the death.
 *
 * Redis outages: `add`/`remove` never reject; while Redis is unreachable they answer
 * "no change" and the node re-sends its whole membership when Redis is back (and when it
 * finds itself declared dead), reporting the users that this changed (to `onRestored`,
 * came online, and `onVanished`, went offline — or announcing them itself with an
 * `announceChannel`). `online()` falls back to this node's own users while Redis is down.
 *
 * On a Redis Cluster (`redis+cluster://`) the keys are hash-tagged onto one slot
 * (`RedisChannels.presenceKeyBase`) and announcements go out with `SPUBLISH` on the
 * shard channel of that slot; each change costs one script call on one shard, whatever
 * the number of nodes or users.
 */
export class RedisPresenceStore implements PresenceStore {
  private readonly logger = new Logger(RedisPresenceStore.name);
  private readonly redis: RedisClient;
  private readonly timings: PresenceTimings;
  private readonly keyBase: string;
  private readonly scripts: ReturnType<typeof presenceScripts>;
  private readonly local = new Map<number, PublicUser>();
  /** Per user: the last add or remove sent (`inOrder`). */
  private readonly pending = new Map<number, Promise<boolean>>();
  private readonly vanished: Listener[] = [];
  private readonly restored: Listener[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private needsResync = false;
  private resyncing: Promise<void> | null = null;
  private closed = false;

  /** Connects, waiting up to `REDIS_START_TIMEOUT_MS` for Redis (then it starts anyway and joins later). */
  static async open(options: RedisPresenceOptions): Promise<RedisPresenceStore> {
    const store = new RedisPresenceStore(options);
    await waitReady(store.redis, REDIS_START_TIMEOUT_MS);
    return store;
  }

  constructor(private readonly options: RedisPresenceOptions) {
    this.timings = presenceTimings(options.presenceTtlMs);
    const names = new RedisChannels(options.keyPrefix, isRedisClusterUrl(options.url));
    this.keyBase = names.presenceKeyBase;
    this.scripts = presenceScripts(names.publishCommand);
    this.redis = openRedis(options.url, `${options.keyPrefix}presence:${options.nodeId}`);
    this.redis.on('ready', () => {
      this.needsResync = true;
      void this.beat();
    });
    this.timers.push(setInterval(() => void this.beat(), this.timings.heartbeatMs).unref());
    this.timers.push(setInterval(() => void this.sweep(), this.timings.sweepMs).unref());
  }

  /** True with an `announceChannel`: changes are announced by the store, not by its caller. */
  get announcesChanges(): boolean {
    return this.options.announceChannel !== null;
  }

  async add(user: PublicUser): Promise<boolean> {
    this.local.set(user.id, { id: user.id, nickname: user.nickname });
    return this.inOrder(user.id, () => this.run(this.scripts.add, String(user.id), user.nickname));
  }

  async remove(userId: number): Promise<boolean> {
    this.local.delete(userId);
    return this.inOrder(userId, () => this.run(this.scripts.remove, String(userId)));
  }

  /**
   * Runs one user's adds and removes one after the other, each sent once the previous one
   * answered: a Redis Cluster client does not keep the order of commands it sends while a
   * node connection is (re)connecting, and one user's join and leave must not swap. Other
   * users' changes run in parallel. (`run` never rejects.)
   */
  private inOrder(userId: number, change: () => Promise<boolean>): Promise<boolean> {
    const next = (this.pending.get(userId) ?? Promise.resolve(false)).then(change);
    this.pending.set(userId, next);
    void next.then(() => {
      if (this.pending.get(userId) === next) this.pending.delete(userId);
    });
    return next;
  }

  async online(): Promise<PublicUser[]> {
    let flat: Record<string, string>;
    try {
      flat = await this.redis.hgetall(this.key('online'));
    } catch {
      return [...this.local.values()].sort((a, b) => a.id - b.id);
    }
    return Object.entries(flat)
      .map(([id, nickname]) => ({ id: Number(id), nickname }))
      .sort((a, b) => a.id - b.id);
  }

  async onlineAmong(userIds: number[]): Promise<Set<number>> {
    if (userIds.length === 0) return new Set();
    try {
      const found = await this.redis.hmget(this.key('online'), ...userIds.map(String));
      return new Set(userIds.filter((_, i) => found[i] !== null));
    } catch {
      return new Set(userIds.filter((id) => this.local.has(id)));
    }
  }

  onVanished(listener: Listener): void {
    this.vanished.push(listener);
  }

  onRestored(listener: Listener): void {
    this.restored.push(listener);
  }

  /** Leaves the cluster: this node's remaining users that are present nowhere else are reported vanished. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    await this.resyncing;
    if (isReady(this.redis)) {
      this.local.clear();
      await this.resync(true).catch(() => undefined);
    }
    await closeRedis(this.redis);
  }

  /**
   * Runs the add or remove script; on any failure the node resyncs later. Scripts go as
   * `EVAL` with their one key (`presence:nodes`, which routes them on a Redis Cluster), not
   * `EVALSHA`: ioredis re-sends a script the server lacks (`NOSCRIPT`) after commands sent
   * later, which would reorder a node's add and remove of one user.
   */
  private async run(script: string, ...args: string[]): Promise<boolean> {
    try {
      const [changed, missing] = (await this.redis.eval(
        script,
        1,
        this.key('nodes'),
        ...this.commonArgs(),
        ...args,
      )) as [number, number];
      if (missing === 1) this.scheduleResync();
      return changed === 1;
    } catch {
      this.needsResync = true;
      return false;
    }
  }

  private async beat(): Promise<void> {
    if (this.closed || !isReady(this.redis)) return;
    try {
      const missing = (await this.redis.eval(
        this.scripts.heartbeat,
        1,
        this.key('nodes'),
        ...this.commonArgs(),
      )) as number;
      if (missing === 1 || this.needsResync) this.scheduleResync();
    } catch {
      this.needsResync = true;
    }
  }

  private scheduleResync(): void {
    this.needsResync = true;
    if (this.resyncing || this.closed) return;
    this.resyncing = this.resync(false)
      .catch(() => undefined)
      .finally(() => {
        this.resyncing = null;
      });
  }

  /** Makes the node's membership in Redis equal to `local` (empty and unregistered with `drop`). */
  private async resync(drop: boolean): Promise<void> {
    this.needsResync = false;
    const members = [...this.local.values()].flatMap((user) => [String(user.id), user.nickname]);
    try {
      const [joined, left] = (await this.redis.eval(
        this.scripts.resync,
        1,
        this.key('nodes'),
        ...this.commonArgs(),
        drop ? '1' : '0',
        ...members,
      )) as [string[], string[]];
      this.emit(this.restored, pairsToUsers(joined));
      this.emit(this.vanished, pairsToUsers(left));
    } catch (error) {
      this.needsResync = true;
      throw error;
    }
  }

  /** Declares dead the nodes whose deadline passed and reports their users who went offline. */
  private async sweep(): Promise<void> {
    if (this.closed || !isReady(this.redis)) return;
    try {
      for (;;) {
        const gone = (await this.redis.eval(
          this.scripts.reap,
          1,
          this.key('nodes'),
          ...this.commonArgs(),
          REAP_BATCH,
        )) as string[];
        this.emit(this.vanished, pairsToUsers(gone));
        if (gone.length === 0) return;
      }
    } catch {
      // Redis unreachable: the next sweep tries again
    }
  }

  private emit(listeners: Listener[], users: PublicUser[]): void {
    if (users.length === 0 || this.announcesChanges) return;
    for (const listener of listeners) {
      try {
        listener(users);
      } catch (error) {
        this.logger.error(`presence listener failed: ${(error as Error).message}`);
      }
    }
  }

  /** The ARGV every script starts with: key base, node, expiry, channel, timestamp. */
  private commonArgs(): Array<string | number> {
    return [this.keyBase, this.options.nodeId, this.timings.expiryMs, this.options.announceChannel ?? '', timestamp()];
  }

  private key(name: string): string {
    return `${this.keyBase}presence:${name}`;
  }
}
