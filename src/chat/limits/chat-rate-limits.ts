import { Inject, Injectable, Logger } from '@nestjs/common';
import { ChatError } from '../chat.errors.js';
import { RESOLVED_CHAT_OPTIONS, type ResolvedChatOptions } from '../chat.options.js';
import { RateLimiter } from './rate-limiter.js';
import { ChargedRequest, REQUEST_LIMITS } from './request-limits.js';

/** At most one warning per this many ms about a failing limiter. */
const FAILURE_LOG_INTERVAL_MS = 10_000;

/**
 * Charges one request of a user to its bucket (`CHAT_RATE_LIMIT` for messages,
 * `REQUEST_LIMITS` for the rest) and throws `ChatError('rate_limited', …, retryAfterMs)`
 * when the bucket is empty. Call it after the request was validated (an invalid request
 * costs nothing) and before it has any effect. If the limiter itself fails (Redis
 * down), the request is let through and a warning is logged: an outage of the limiter
 * never stops the chat.
 */
@Injectable()
export class ChatRateLimits {
  private readonly logger = new Logger(ChatRateLimits.name);
  private lastFailureLog = 0;

  constructor(
    @Inject(RESOLVED_CHAT_OPTIONS) private readonly options: ResolvedChatOptions,
    @Inject(RateLimiter) private readonly limiter: RateLimiter,
  ) {}

  async charge(request: ChargedRequest, userId: number): Promise<void> {
    const spec = request === 'message' ? this.options.rateLimit : REQUEST_LIMITS[request];
    if (!spec) return;
    let decision;
    try {
      decision = await this.limiter.take(`${request}:${userId}`, spec);
    } catch (error) {
      this.warnFailure(error);
      return;
    }
    if (!decision.allowed) {
      const what = request === 'message' ? 'messages' : `${request} requests`;
      throw new ChatError(
        'rate_limited',
        `too many ${what}; retry in ${decision.retryAfterMs} ms`,
        decision.retryAfterMs,
      );
    }
  }

  private warnFailure(error: unknown): void {
    const now = Date.now();
    if (now - this.lastFailureLog < FAILURE_LOG_INTERVAL_MS) return;
    this.lastFailureLog = now;
    this.logger.warn(`rate limiter unavailable, requests let through: ${(error as Error).message}`);
  }
}
