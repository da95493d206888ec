import { availableParallelism } from 'node:os';
import { HttpException, HttpStatus } from '@nestjs/common';

/** How many password hashes run at once, how many may wait, and for how long. */
export interface HashingBound {
  /** Hashes computed at the same time, process-wide (each scrypt takes 128 MiB). */
  concurrency: number;
  /** Hashes allowed to wait for a slot; one more is refused at once. */
  queue: number;
  /** Longest wait for a slot, in milliseconds; a hash still waiting then is refused. */
  maxWaitMs: number;
}

/**
 * Defaults of the hashing bound (`AUTH_HASH_CONCURRENCY`, `AUTH_HASH_QUEUE`, `AUTH_HASH_WAIT_MS`):
 * hashing takes at most half the cores (at least one), so the event loop keeps a core to answer.
 */
export const HASHING_BOUND_DEFAULTS: HashingBound = {
  concurrency: Math.max(1, Math.floor(availableParallelism() / 2)),
  queue: 16,
  maxWaitMs: 5_000,
};

/** A 503 with `Retry-After`: the password hashing of this process is saturated. */
export class HashingBusyException extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super(
      {
        statusCode: HttpStatus.SERVICE_UNAVAILABLE,
        error: 'Service Unavailable',
        message: `too many logins at once; retry in ${retryAfterSeconds} s`,
      },
      HttpStatus.SERVICE_UNAVAILABLE,
    );
  }
}

interface Waiter {
  start(): void;
  timer: NodeJS.Timeout;
}

/**
 * A process-wide semaphore in front of password hashing. At most `concurrency` hashes run;
 * up to `queue` more wait in arrival order, each at most `maxWaitMs`. Anything beyond is
 * refused at once with `HashingBusyException` (503), so a flood of logins costs the
 * flooders a quick refusal instead of making every login wait behind it.
 */
export class HashingGate {
  private running = 0;
  private readonly waiting: Waiter[] = [];

  constructor(private readonly bound: HashingBound = HASHING_BOUND_DEFAULTS) {}

  /** Runs `work` when a slot is free; throws `HashingBusyException` when the queue is full or the wait too long. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await work();
    } finally {
      this.release();
    }
  }

  /** Runs `work` only if a slot is free right now (no queueing); otherwise returns undefined. */
  async runIfIdle<T>(work: () => Promise<T>): Promise<T | undefined> {
    if (this.running >= this.bound.concurrency || this.waiting.length > 0) return undefined;
    return this.run(work);
  }

  private acquire(): Promise<void> {
    if (this.running < this.bound.concurrency && this.waiting.length === 0) {
      this.running += 1;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.bound.queue) return Promise.reject(this.busy());
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        start: () => {
          clearTimeout(waiter.timer);
          this.running += 1;
          resolve();
        },
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(waiter), 1);
          reject(this.busy());
        }, this.bound.maxWaitMs),
      };
      this.waiting.push(waiter);
    });
  }

  private release(): void {
    this.running -= 1;
    this.waiting.shift()?.start();
  }

  private busy(): HashingBusyException {
    return new HashingBusyException(Math.max(1, Math.ceil(this.bound.maxWaitMs / 1000)));
  }
}
