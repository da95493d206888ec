import { Inject, Injectable } from '@nestjs/common';
import { RESOLVED_CHAT_OPTIONS, type ResolvedChatOptions } from '../chat.options.js';
import { FanoutBus } from '../fanout/fanout.bus.js';
import { MessageStore } from '../history/message.store.js';
import { within } from './within.js';

/** Longest a database ping may take before the database counts as down. */
export const DATABASE_PING_TIMEOUT_MS = 2_000;

/** One dependency of the chat, as a health check sees it. */
export interface ChatHealthProbe {
  /** `database` or `redis`: the key a health report shows. */
  key: 'database' | 'redis';
  /** Resolves true when the dependency answers; never rejects, never hangs past its timeout. */
  isUp(): Promise<boolean>;
  /** What a report says when it is down. */
  downMessage: string;
}

/**
 * The health of what the chat depends on, for the host's own health endpoint (Terminus or
 * any other): `database` is up when the message store answers a ping within
 * `DATABASE_PING_TIMEOUT_MS`; `redis` (only in cluster mode) when the fan-out bus says it
 * can take envelopes. With Terminus:
 * `health.check(chatHealth.probes().map((p) => async () => {
 *   const i = indicators.check(p.key); return (await p.isUp()) ? i.up() : i.down({ message: p.downMessage }); }))`.
 */
@Injectable()
export class ChatHealth {
  constructor(
    @Inject(MessageStore) private readonly messages: MessageStore,
    @Inject(FanoutBus) private readonly bus: FanoutBus,
    @Inject(RESOLVED_CHAT_OPTIONS) private readonly options: ResolvedChatOptions,
  ) {}

  /** The probes of this deployment: the database, and Redis when `redisUrl` is set. */
  probes(): ChatHealthProbe[] {
    const probes: ChatHealthProbe[] = [
      {
        key: 'database',
        isUp: () => within(DATABASE_PING_TIMEOUT_MS, () => this.messages.ping()),
        downMessage: 'the database does not answer',
      },
    ];
    if (this.options.redisUrl !== null) {
      probes.push({
        key: 'redis',
        isUp: async () => this.bus.isHealthy?.() ?? true,
        downMessage: 'Redis is not reachable',
      });
    }
    return probes;
  }
}
