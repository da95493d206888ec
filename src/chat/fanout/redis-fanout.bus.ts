import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { closeRedis, isReady, openRedis, RedisOutageCounters } from '../../redis/redis-connection.js';
import { decodeEnvelope, encodeEnvelope } from './fanout-envelope.codec.js';
import { FanoutBus, FanoutEnvelope, FanoutHandler, FanoutUnavailableError } from './fanout.bus.js';

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
  private readonly channel: string;
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private handlers: FanoutHandler[] = [];
  private subscribed = false;
  readonly counters: RedisFanoutCounters = { outages: 0, fanoutPublishFailures: 0 };

  constructor(options: { url: string; keyPrefix: string; nodeId: string }) {
    this.channel = `${options.keyPrefix}fanout`;
    this.publisher = openRedis(options.url, `${options.keyPrefix}bus-pub:${options.nodeId}`, this.counters);
    this.subscriber = openRedis(options.url, `${options.keyPrefix}bus-sub:${options.nodeId}`, this.counters);
    this.subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      const envelope = decodeEnvelope(message);
      if (envelope) this.handOut(envelope);
    });
    // the first subscription; after a reconnect ioredis resubscribes by itself
    this.subscriber.on('ready', () => {
      if (this.subscribed) return;
      this.subscriber.subscribe(this.channel).then(
        () => void (this.subscribed = true),
        (error: Error) => this.logger.warn(`subscribe failed, retried on the next connection: ${error.message}`),
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

  async ping(): Promise<boolean> {
    if (!this.subscribed || !isReady(this.subscriber) || !isReady(this.publisher)) return false;
    return this.publisher.ping().then(
      () => true,
      () => false,
    );
  }

  subscribe(handler: FanoutHandler): () => void {
    this.handlers = [...this.handlers, handler];
    return () => {
      this.handlers = this.handlers.filter((h) => h !== handler);
    };
  }

  async close(): Promise<void> {
    this.handlers = [];
    await Promise.all([closeRedis(this.publisher), closeRedis(this.subscriber)]);
  }

  private handOut(envelope: FanoutEnvelope): void {
    for (const handler of this.handlers) {
      try {
        handler(envelope);
      } catch (error) {
        this.logger.error(`fan-out handler failed: ${(error as Error).message}`);
      }
    }
  }
}
