import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { closeRedis, openRedis, type RedisClient } from '../../drivers/redis-connection.js';
import { RESOLVED_CHAT_OPTIONS, type ResolvedChatOptions } from '../chat.options.js';

/** How long an account over its refused-frame budget is refused new sockets. */
export const ACCOUNT_COOLDOWN_MS = 30_000;

/** Local records beyond which expired ones are swept on the next `impose`. */
const SWEEP_AT = 1_000;

/**
 * Accounts in debt: an account that went over its refused-frame budget is refused new
 * sockets (handshake 429 with `Retry-After`) for `ACCOUNT_COOLDOWN_MS`. Kept in the process,
 * and with `redisUrl` (cluster mode) also in Redis (`<redisKeyPrefix>abuse-cooldown:<id>`,
 * expiring with the cool-down) so that every instance refuses the account's handshakes.
 * A Redis failure never refuses anyone: the local record still holds on this instance,
 * and the failure is logged once per outage.
 */
@Injectable()
export class AccountDebts implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(AccountDebts.name);
  /** Account → epoch ms its cool-down ends, on this instance (expired entries swept as met). */
  private readonly until = new Map<number, number>();
  private redis: RedisClient | null = null;
  private failing = false;

  constructor(
    @Inject(RESOLVED_CHAT_OPTIONS)
    private readonly options: Pick<ResolvedChatOptions, 'redisUrl' | 'redisKeyPrefix'> = {
      redisUrl: null,
      redisKeyPrefix: '',
    },
  ) {}

  onModuleInit(): void {
    const url = this.options.redisUrl;
    if (url) this.redis = openRedis(url, `${this.options.redisKeyPrefix}abuse-cooldown`);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.redis) await closeRedis(this.redis);
    this.redis = null;
  }

  /** Puts `userId` in debt for `ACCOUNT_COOLDOWN_MS` from now (here at once; in Redis in the background). */
  impose(userId: number): void {
    if (this.until.size >= SWEEP_AT) for (const id of [...this.until.keys()]) this.localRemainingMs(id);
    this.until.set(userId, Date.now() + ACCOUNT_COOLDOWN_MS);
    this.redis?.set(this.key(userId), '1', 'PX', ACCOUNT_COOLDOWN_MS).then(
      () => (this.failing = false),
      (error: unknown) => this.failed(error),
    );
  }

  /** Whether `userId` is in debt according to this instance alone (no I/O). */
  isInDebtHere(userId: number): boolean {
    return this.localRemainingMs(userId) > 0;
  }

  /**
   * Milliseconds left of the cool-down of `userId` (0: none): this instance's record, else
   * (cluster mode) the one in Redis; a Redis failure counts as none.
   */
  async remainingMs(userId: number): Promise<number> {
    const local = this.localRemainingMs(userId);
    if (local > 0 || !this.redis) return local;
    try {
      const ttl = await this.redis.pttl(this.key(userId));
      this.failing = false;
      if (ttl <= 0) return 0;
      this.until.set(userId, Date.now() + ttl);
      return ttl;
    } catch (error) {
      this.failed(error);
      return 0;
    }
  }

  private localRemainingMs(userId: number): number {
    const until = this.until.get(userId);
    if (until === undefined) return 0;
    const left = until - Date.now();
    if (left > 0) return left;
    this.until.delete(userId);
    return 0;
  }

  private key(userId: number): string {
    return `${this.options.redisKeyPrefix}abuse-cooldown:${userId}`;
  }

  private failed(error: unknown): void {
    if (this.failing) return;
    this.failing = true;
    this.logger.warn(`account cool-downs not shared through Redis: ${(error as Error).message}`);
  }
}
