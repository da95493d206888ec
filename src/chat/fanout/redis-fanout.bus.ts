import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import {
  closeRedis,
  isReady,
  openRedis,
  REDIS_START_TIMEOUT_MS,
  RedisOutageCounters,
  waitReady,
} from '../../drivers/redis-connection.js';
import { decodeEnvelope, encodeEnvelope } from './fanout-envelope.codec.js';
import { FanoutBus, FanoutEnvelope, FanoutHandler, FanoutUnavailableError } from './fanout.bus.js';
import { handOutIsolated } from './publish-on-bus.js';

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
 * `FanoutBus` on Redis pub/sub: one channel, `<keyPrefix>fanout`, one publishing and one
 * subscribed connection per node. Redis hands every subscriber the messages of a channel
 * in the order it executed the `PUBLISH`es, so all nodes receive envelopes in one order;
 * `publish` resolves once Redis has executed it. Delivery is at most once: a node whose
 * subscription is down misses what is published meanwhile (clients catch up with
 * `resume`).
 *
 * While Redis is unreachable `publish` rejects at once with `FanoutUnavailableError` (it
 * never queues) and still hands the envelope to this node's own subscribers, so users on
 * the same instance keep talking; other nodes do not get it. The outage is logged once
 * and counted (`counters`); the connections come back and resubscribe by themselves.
 */
export class RedisFanoutBus implements FanoutBus {
  private readonly logger = new Logger(RedisFanoutBus.name);
  /** The one Redis channel of the cluster: `<keyPrefix>fanout`. */
  readonly channel: string;
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private handlers: FanoutHandler[] = [];
  private subscribed = false;
  private readonly firstSubscription: Promise<void>;
  private onFirstSubscription: () => void = () => undefined;
  private lastAnswerAt = 0;
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
    this.channel = `${options.keyPrefix}fanout`;
    this.publisher = openRedis(options.url, `${options.keyPrefix}bus-pub:${options.nodeId}`, this.counters);
    this.subscriber = openRedis(options.url, `${options.keyPrefix}bus-sub:${options.nodeId}`, this.counters, {
      autoResubscribe: false,
    });
    this.publisher.on('ready', () => void this.checkLiveness());
    this.liveness = setInterval(() => void this.checkLiveness(), LIVENESS_PING_MS).unref();
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      const envelope = decodeEnvelope(message);
      if (envelope) this.handOut(envelope);
    });
    // subscribes on every (re)connection itself: ioredis's own resubscription leaves its
    // promise unhandled when the connection drops again at once, which would crash the process
    this.subscriber.on('reconnecting', () => (this.subscribed = false));
    this.subscriber.on('ready', () => {
      this.subscriber.subscribe(this.channel).then(
        () => {
          this.subscribed = true;
          this.onFirstSubscription();
        },
        () => undefined, // the connection dropped again: the next 'ready' subscribes
      );
    });
  }

  async publish(envelope: FanoutEnvelope): Promise<void> {
    if (!isReady(this.publisher)) {
      // certainly not sent: this node delivers it itself, nobody else will
      this.counters.fanoutPublishFailures += 1;
      this.handOut(envelope);
      throw new FanoutUnavailableError('Redis is unreachable: delivered on this instance only');
    }
    try {
      await this.publisher.publish(this.channel, encodeEnvelope(envelope));
    } catch (error) {
      // maybe executed, maybe not: no local delivery, which could double it
      this.counters.fanoutPublishFailures += 1;
      throw new FanoutUnavailableError(`publish failed: ${(error as Error).message}`);
    }
  }

  /** Connections of this bus (publisher or subscriber) lost since start; each outage is logged once. */
  outages(): number {
    return this.counters.outages;
  }

  /**
   * Both connections ready, the channel subscribed and Redis answering (a ping within the
   * last `LIVENESS_WINDOW_MS`): this node sends and receives.
   */
  isHealthy(): boolean {
    return (
      this.subscribed &&
      isReady(this.subscriber) &&
      isReady(this.publisher) &&
      Date.now() - this.lastAnswerAt < LIVENESS_WINDOW_MS
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
    await Promise.all([closeRedis(this.publisher), closeRedis(this.subscriber)]);
  }

  private async checkLiveness(): Promise<void> {
    if (!isReady(this.publisher)) return;
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
