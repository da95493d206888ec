import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { CHAT_OPTIONS, type ResolvedChatOptions } from '../chat/chat.options.js';
import { FanoutBus } from '../chat/fanout/fanout.bus.js';

/**
 * `redis`: checked only in cluster mode (`REDIS_URL` set). Up when the fan-out bus says
 * it can take envelopes (`FanoutBus.isHealthy`, which a Redis bus answers from its
 * connection state; a bus without the method counts as up).
 */
@Injectable()
export class RedisHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(FanoutBus) private readonly bus: FanoutBus,
    @Inject(CHAT_OPTIONS) private readonly options: ResolvedChatOptions,
  ) {}

  /** Whether Redis is part of this deployment, so `/health` must check it. */
  get configured(): boolean {
    return this.options.redisUrl !== null;
  }

  check() {
    const session = this.indicators.check('redis');
    const up = this.bus.isHealthy?.() ?? true;
    return up ? session.up() : session.down({ message: 'Redis is not reachable' });
  }
}
