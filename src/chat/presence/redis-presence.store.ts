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
/**
 * Most adds and removes one script call carries (the rest waits for the next call): bounds
 * how long one call holds Redis and the size of its announcement.
 */
export const PRESENCE_BATCH_LIMIT = 256;
/** The ioredis command the batch script is defined as (`EVALSHA`, `EVAL` when the server lacks it). */
const BATCH_COMMAND = 'forumChatPresenceBatch';

/** An add (`+`) or remove (`-`) waiting for its batch, and who waits for its answer. */
interface QueuedChange {
  args: [op: '+' | '-', uid: string, nickname: string];
  answer: (changed: boolean) => void;
}

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
 * Adds and removes are sent in batches: those made while the previous batch is on its
 * way go together as one script call (`presenceScripts().batch`) with one announcement
 * message, so a storm of n changes costs far fewer than n round trips and announcements,
 * and Redis work per change stays constant whatever the number of nodes or users.
 *
 * On a Redis Cluster (`redis+cluster://`) the keys are hash-tagged onto one slot
 * (`RedisChannels.presenceKeyBase`) and announcements go out with `SPUBLISH` on the
 * shard channel of that slot; each batch is one script call on one shard.
 */
export class RedisPresenceStore implements PresenceStore {
  private readonly logger = new Logger(RedisPresenceStore.name);
  private readonly redis: RedisClient;
  private readonly timings: PresenceTimings;
  private readonly keyBase: string;
  private readonly scripts: ReturnType<typeof presenceScripts>;
  private readonly local = new Map<number, PublicUser>();
  /** Adds and removes not sent yet, in the order they were made. */
  private queue: QueuedChange[] = [];
  /** The batches being sent, one after the other (null: none). */
  private sending: Promise<void> | null = null;
  private readonly vanished: Listener[] = [];
  private readonly restored: Listener[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private needsResync = false;
  private resyncing: Promise<void> | null = null;
  /** The heartbeat sent when the connection became ready (which schedules the resync). */
  private registering: Promise<void> = Promise.resolve();
  private closed = false;

  /**
   * Connects, waiting up to `REDIS_START_TIMEOUT_MS` for Redis (then it starts anyway and
   * joins later), and registers the node before it answers: the registration re-sends the
   * node's membership (`resync`), and a first batch running beside it would find its users
   * already made present by it and answer "no change" for changes that did happen (they
   * would be reported as restored instead). Once open, every change is answered by its batch.
   */
  static async open(options: RedisPresenceOptions): Promise<RedisPresenceStore> {
    const store = new RedisPresenceStore(options);
    if (await waitReady(store.redis, REDIS_START_TIMEOUT_MS)) await store.registration();
    return store;
  }

  constructor(private readonly options: RedisPresenceOptions) {
    this.timings = presenceTimings(options.presenceTtlMs);
    const names = new RedisChannels(options.keyPrefix, isRedisClusterUrl(options.url));
    this.keyBase = names.presenceKeyBase;
    this.scripts = presenceScripts(names.publishCommand);
    this.redis = openRedis(options.url, `${options.keyPrefix}presence:${options.nodeId}`);
    this.redis.defineCommand(BATCH_COMMAND, { numberOfKeys: 1, lua: this.scripts.batch });
    this.redis.on('ready', () => {
      this.needsResync = true;
      this.registering = this.beat();
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
    return this.enqueue(['+', String(user.id), user.nickname]);
  }

  async remove(userId: number): Promise<boolean> {
    this.local.delete(userId);
    return this.enqueue(['-', String(userId), '']);
  }

  /**
   * Queues one add or remove; the changes made while a batch is on its way (or during the
   * current turn of the event loop) go together in the next one, as one script call. One
   * batch is sent at a time, the next once the previous answered, so every change reaches
   * Redis in the order it was made: a Redis Cluster client does not keep the order of
   * commands it sends while a node connection is (re)connecting, and one user's join and
   * leave must not swap. Never rejects.
   */
  private enqueue(args: QueuedChange['args']): Promise<boolean> {
    return new Promise((answer) => {
      this.queue.push({ args, answer });
      this.sending ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.sendQueued());
    });
  }

  /** Sends the queue batch after batch until it is empty. */
  private async sendQueued(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, PRESENCE_BATCH_LIMIT);
      this.queue = this.queue.slice(batch.length);
      const changed = await this.runBatch(batch.flatMap((change) => change.args));
      batch.forEach((change, i) => change.answer(changed[i] === 1));
    }
    this.sending = null;
  }

  /**
   * Runs the batch script: per change 1 when it changed the user's state cluster-wide.
   * On any failure every change answers "no change" and the node resyncs later (its
   * membership is `local`, which the queued changes already updated). The script goes with
   * its one key (`presence:nodes`, which routes it on a Redis Cluster) as `EVALSHA` (a
   * defined command): when the server lacks it (`NOSCRIPT`, after a restart or failover)
   * ioredis sends it again as `EVAL`, and as only one batch is on its way at a time, no later
   * change can overtake it meanwhile.
   */
  private async runBatch(args: string[]): Promise<number[]> {
    try {
      const command = (this.redis as unknown as Record<string, (...args: unknown[]) => Promise<[number[], number]>>)[
        BATCH_COMMAND
      ];
      const [changed, missing] = await command.call(this.redis, this.key('nodes'), ...this.commonArgs(), ...args);
      if (missing === 1) this.scheduleResync();
      return changed;
    } catch {
      this.needsResync = true;
      return [];
    }
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
    await this.sending;
    await this.resyncing;
    if (isReady(this.redis)) {
      this.local.clear();
      await this.resync(true).catch(() => undefined);
    }
    await closeRedis(this.redis);
  }

  /** Resolves once the heartbeat and the resync that followed the connection's readiness are done. */
  private async registration(): Promise<void> {
    await this.registering;
    await this.resyncing;
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
