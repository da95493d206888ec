import { Logger } from '@nestjs/common';
import type { Cluster, Redis } from 'ioredis';
import {
  closeRedis,
  isReady,
  openRedis,
  REDIS_START_TIMEOUT_MS,
  RedisClient,
  RedisOutageCounters,
  waitReady,
} from '../../drivers/redis-connection.js';
import { isRedisClusterUrl } from '../../drivers/redis-url.js';
import { redisKeySlot } from '../../drivers/redis-key-slot.js';
import { decodeEnvelopes, encodeEnvelope, probeMessage } from './fanout-envelope.codec.js';
import { FanoutBus, FanoutEnvelope, FanoutHandler, FanoutUnavailableError } from './fanout.bus.js';
import { handOutIsolated } from './publish-on-bus.js';
import { RedisChannels } from './redis-channels.js';

/** How often the bus checks that Redis answers (a paused Redis keeps its connections open). */
const LIVENESS_PING_MS = 1_000;
/** Without an answer to a liveness ping for this long, the bus reports itself unhealthy. */
const LIVENESS_WINDOW_MS = 3 * LIVENESS_PING_MS;

/** Counters of the bus, for metrics. */
export interface RedisFanoutCounters extends RedisOutageCounters {
  /** `publish` calls that rejected (Redis down, paused or too slow). */
  fanoutPublishFailures: number;
}

/**
 * `FanoutBus` on Redis pub/sub, one publishing and one subscribed connection per node.
 * On one Redis: one channel, `<keyPrefix>fanout`; Redis hands every subscriber the
 * messages of a channel in the order it executed the `PUBLISH`es, so all nodes receive
 * envelopes in one order. On a Redis Cluster (`redis+cluster://`): sharded pub/sub
 * (`SPUBLISH`/`SSUBSCRIBE`, `RedisChannels`): each room's envelopes travel on the room's
 * own shard channel, which a node subscribes to while one of its sockets follows the room
 * (`watchRoom`/`unwatchRoom`), and everything else on one shared channel every node
 * subscribes to; the order is then one per channel (per room, and for the rest), which is
 * what deliveries rely on. `publish` resolves once Redis has executed it. Delivery is at
 * most once: a node whose subscription is down misses what is published meanwhile
 * (clients catch up with `resume`).
 *
 * While Redis is unreachable `publish` rejects at once with `FanoutUnavailableError` (it
 * never queues) and still hands the envelope to this node's own subscribers, so users on
 * the same instance keep talking; other nodes do not get it. The outage is logged once
 * and counted (`counters`); the connections come back and resubscribe by themselves.
 */
export class RedisFanoutBus implements FanoutBus {
  private readonly logger = new Logger(RedisFanoutBus.name);
  /** The channel every node subscribes to (`RedisChannels.everyone`). */
  readonly channel: string;
  /** The channel names of this deployment; `sharded` on a Redis Cluster. */
  readonly names: RedisChannels;
  private readonly publisher: RedisClient;
  private readonly subscriber: RedisClient;
  /** Rooms followed on this node → their shard channel's subscription (Redis Cluster only). */
  private readonly rooms = new Map<string, Promise<void>>();
  /** Per room: the last subscribe or unsubscribe sent for its shard channel (`inOrder`). */
  private readonly roomCommands = new Map<string, Promise<void>>();
  private handlers: FanoutHandler[] = [];
  private subscribed = false;
  private readonly firstSubscription: Promise<void>;
  private onFirstSubscription: () => void = () => undefined;
  private lastAnswerAt = 0;
  /** What this node publishes to probe its shard subscriptions (Redis Cluster only). */
  private readonly probe: string;
  /**
   * Redis Cluster only: per master (ioredis node key) that serves a shard channel this
   * node subscribes to, since when it does and when this node's last probe published on
   * one of those channels came back (`probeShards`).
   */
  private readonly shards = new Map<string, { since: number; echoedAt: number }>();
  private readonly liveness: NodeJS.Timeout;
  readonly counters: RedisFanoutCounters = { outages: 0, fanoutPublishFailures: 0 };

  /**
   * Connects and subscribes, waiting up to `REDIS_START_TIMEOUT_MS` for Redis (after that
   * it starts unsubscribed, `ping` false, and subscribes as soon as Redis answers).
   */
  static async open(options: { url: string; keyPrefix: string; nodeId: string }): Promise<RedisFanoutBus> {
    const bus = new RedisFanoutBus(options);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      bus.firstSubscription,
      new Promise((resolve) => (timer = setTimeout(resolve, REDIS_START_TIMEOUT_MS))),
    ]);
    clearTimeout(timer);
    if (await waitReady(bus.publisher, REDIS_START_TIMEOUT_MS)) await bus.checkLiveness();
    return bus;
  }

  constructor(options: { url: string; keyPrefix: string; nodeId: string }) {
    this.firstSubscription = new Promise((resolve) => (this.onFirstSubscription = resolve));
    this.names = new RedisChannels(options.keyPrefix, isRedisClusterUrl(options.url));
    this.channel = this.names.everyone;
    this.probe = probeMessage(options.nodeId);
    this.publisher = openRedis(options.url, `${options.keyPrefix}bus-pub:${options.nodeId}`, this.counters);
    this.subscriber = openRedis(
      options.url,
      `${options.keyPrefix}bus-sub:${options.nodeId}`,
      this.counters,
      // one Redis: subscribes on every (re)connection itself, as ioredis's own resubscription
      // leaves its promise unhandled when the connection drops again at once (a crash);
      // a cluster: ioredis's sharded subscribers follow the slots and resubscribe, errors handled
      this.names.sharded ? { shardedSubscribers: true } : { autoResubscribe: false },
    );
    this.publisher.on('ready', () => void this.checkLiveness());
    this.liveness = setInterval(() => void this.checkLiveness(), LIVENESS_PING_MS).unref();
    const receive = (channel: string, message: string) => this.receive(channel, message);
    this.subscriber.on(this.names.sharded ? 'smessage' : 'message', receive);
    this.subscriber.on('reconnecting', () => (this.subscribed = false));
    this.subscriber.on('ready', () => {
      this.subscribeTo(this.channel).then(
        () => {
          this.subscribed = true;
          this.onFirstSubscription();
        },
        () => undefined, // the connection dropped again: the next 'ready' subscribes
      );
      // rooms whose subscription failed while the cluster was unreachable (a repeat is harmless)
      for (const room of this.rooms.keys()) this.rooms.set(room, this.watch(room));
    });
  }

  /**
   * On a Redis Cluster: subscribes to `room`'s shard channel unless this node already
   * does, and resolves once Redis confirmed it (or gave up: the next reconnection
   * retries), so that a socket that starts following the room after it resolves misses
   * nothing published from then on. On one Redis every node receives every room already:
   * resolves at once.
   */
  watchRoom(room: string): Promise<void> {
    if (!this.names.sharded) return Promise.resolve();
    let watch = this.rooms.get(room);
    if (!watch) {
      watch = this.watch(room);
      this.rooms.set(room, watch);
    }
    return watch;
  }

  /** Stops receiving `room`'s shard channel (its last follower on this node left). */
  unwatchRoom(room: string): void {
    if (!this.rooms.delete(room)) return;
    void this.inOrder(room, async () => {
      await (this.subscriber as Cluster).sunsubscribe(this.names.room(room));
    });
  }

  /** The rooms whose shard channels this node subscribes to (empty on one Redis). */
  watchedRooms(): string[] {
    return [...this.rooms.keys()];
  }

  private watch(room: string): Promise<void> {
    return this.inOrder(room, () => this.subscribeTo(this.names.room(room)));
  }

  /**
   * Sends one room's subscribe and unsubscribe commands one after the other, each once the
   * previous one answered: a Redis Cluster client does not keep the order of commands sent
   * while a connection to a master is (re)opening, and a leave and a join of one room must
   * not swap (the room would stay unsubscribed while followed). Never rejects.
   */
  private inOrder(room: string, command: () => Promise<void>): Promise<void> {
    const next = (this.roomCommands.get(room) ?? Promise.resolve()).then(command).catch(() => undefined);
    this.roomCommands.set(room, next);
    void next.then(() => {
      if (this.roomCommands.get(room) === next) this.roomCommands.delete(room);
    });
    return next;
  }

  private async subscribeTo(channel: string): Promise<void> {
    if (this.names.sharded) await (this.subscriber as Cluster).ssubscribe(channel);
    else await (this.subscriber as Redis).subscribe(channel);
  }

  private receive(channel: string, message: string): void {
    if (message === this.probe) {
      const shard = this.shards.get(this.masterOf(channel) ?? '');
      if (shard) shard.echoedAt = Date.now();
      return;
    }
    if (channel !== this.channel) {
      const room = this.names.sharded ? this.names.roomOf(channel) : null;
      if (room === null || !this.rooms.has(room)) return;
    }
    for (const envelope of decodeEnvelopes(message)) this.handOut(envelope);
  }

  async publish(envelope: FanoutEnvelope): Promise<void> {
    if (!isReady(this.publisher)) {
      // certainly not sent: this node delivers it itself, nobody else will
      this.counters.fanoutPublishFailures += 1;
      this.handOut(envelope);
      throw new FanoutUnavailableError('Redis is unreachable: delivered on this instance only');
    }
    try {
      await this.send(envelope);
    } catch (error) {
      // maybe executed, maybe not: no local delivery, which could double it
      this.counters.fanoutPublishFailures += 1;
      throw new FanoutUnavailableError(`publish failed: ${(error as Error).message}`);
    }
  }

  /**
   * One `PUBLISH` on one Redis. On a cluster one `SPUBLISH`: a room's envelope on its
   * room's shard channel, an access change on the shard channel of each room it names
   * (ordered with that room's messages), anything else on the shared channel.
   */
  private async send(envelope: FanoutEnvelope): Promise<void> {
    if (!this.names.sharded) {
      await this.publisher.publish(this.channel, encodeEnvelope(envelope));
      return;
    }
    const cluster = this.publisher as Cluster;
    if (envelope.kind === 'room') {
      await cluster.spublish(this.names.room(envelope.room), encodeEnvelope(envelope));
    } else if (envelope.kind === 'room_access') {
      await Promise.all(
        envelope.rooms.map((room) =>
          cluster.spublish(this.names.room(room), encodeEnvelope({ kind: 'room_access', rooms: [room] })),
        ),
      );
    } else {
      await cluster.spublish(this.channel, encodeEnvelope(envelope));
    }
  }

  /** Connections of this bus (publisher or subscriber) lost since start; each outage is logged once. */
  outages(): number {
    return this.counters.outages;
  }

  /**
   * Both connections ready, the channel subscribed and Redis answering (a ping within the
   * last `LIVENESS_WINDOW_MS`): this node sends and receives. On a Redis Cluster, where a
   * node subscribes through one connection per master, also: on every master serving a
   * channel it subscribes to (the shared one, its followed rooms'), a probe it published
   * there came back within the window (a master it started needing less than a window ago
   * counts as answering), so one master's subscription being down shows.
   */
  isHealthy(): boolean {
    const now = Date.now();
    return (
      this.subscribed &&
      isReady(this.subscriber) &&
      isReady(this.publisher) &&
      now - this.lastAnswerAt < LIVENESS_WINDOW_MS &&
      [...this.shards.values()].every((shard) => now - Math.max(shard.since, shard.echoedAt) < LIVENESS_WINDOW_MS)
    );
  }

  subscribe(handler: FanoutHandler): () => void {
    this.handlers = [...this.handlers, handler];
    return () => {
      this.handlers = this.handlers.filter((h) => h !== handler);
    };
  }

  async close(): Promise<void> {
    clearInterval(this.liveness);
    this.handlers = [];
    this.rooms.clear();
    await Promise.all([closeRedis(this.publisher), closeRedis(this.subscriber)]);
  }

  /** The ioredis node key of the master serving `channel`'s slot, as the subscriber knows it (null: not known yet). */
  private masterOf(channel: string): string | null {
    return (this.subscriber as Cluster).slots[redisKeySlot(channel)]?.[0] ?? null;
  }

  /**
   * Redis Cluster: publishes the probe once on one subscribed channel of each master that
   * serves one (`isHealthy` reads whether it came back), and forgets masters no longer needed.
   */
  private probeShards(): void {
    const needed = new Map<string, string>();
    for (const channel of [this.channel, ...[...this.rooms.keys()].map((room) => this.names.room(room))]) {
      const master = this.masterOf(channel);
      if (master !== null && !needed.has(master)) needed.set(master, channel);
    }
    for (const master of this.shards.keys()) if (!needed.has(master)) this.shards.delete(master);
    const now = Date.now();
    for (const [master, channel] of needed) {
      if (!this.shards.has(master)) this.shards.set(master, { since: now, echoedAt: 0 });
      (this.publisher as Cluster).spublish(channel, this.probe).catch(() => undefined);
    }
  }

  private async checkLiveness(): Promise<void> {
    if (!isReady(this.publisher)) return;
    if (this.names.sharded && this.subscribed) this.probeShards();
    try {
      await this.publisher.ping();
      this.lastAnswerAt = Date.now();
    } catch {
      // unanswered: isHealthy turns false once the window has passed
    }
  }

  private handOut(envelope: FanoutEnvelope): void {
    handOutIsolated(this.handlers, envelope, this.logger);
  }
}
