import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { RESOLVED_CHAT_OPTIONS, type ResolvedChatOptions } from '../chat.options.js';
import { CloseCode } from '../protocol/close-codes.js';
import { ConnectionRegistry } from './connection.registry.js';

/**
 * Keeps sockets honest with one timer for all of them: pings each socket every
 * `pingIntervalMs`; terminates one that sent nothing (frame or pong) for `pongTimeoutMs`;
 * closes with 4401 one whose session has expired. The sweep runs often enough that each
 * bound is met within a small fraction of the interval.
 */
@Injectable()
export class Heartbeat implements OnModuleInit, OnModuleDestroy {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(RESOLVED_CHAT_OPTIONS) private readonly options: ResolvedChatOptions,
    private readonly registry: ConnectionRegistry,
  ) {}

  onModuleInit(): void {
    const { pingIntervalMs, pongTimeoutMs } = this.options;
    const tick = Math.max(5, Math.min(pingIntervalMs, pongTimeoutMs - pingIntervalMs, 1000));
    this.timer = setInterval(() => this.sweep(Date.now()), tick);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** One pass over every socket at time `now`. */
  sweep(now: number): void {
    const { pingIntervalMs, pongTimeoutMs } = this.options;
    for (const connection of this.registry.connections()) {
      if (connection.isClosing) continue;
      if (connection.sessionExpiredAt(now)) connection.close(CloseCode.SESSION_ENDED, 'session expired');
      else if (connection.isSilentFor(pongTimeoutMs, now)) connection.terminate();
      else connection.pingIfDue(pingIntervalMs, now);
    }
  }
}
