import { availableParallelism } from 'node:os';
import { HttpException, HttpStatus } from '@nestjs/common';
import { TooManyAttemptsException } from './auth-throttle.js';

/** How many password hashes run at once, how many may wait, and for how long. */
export interface HashingBound {
  /** Hashes computed at the same time for anonymous logins and registrations, process-wide (each Argon2id hash takes `AUTH_ARGON2_MEMORY_KIB`, 19 MiB by default). */
  concurrency: number;
  /** Hashes allowed to wait for a slot; one more is refused at once. */
  queue: number;
  /** Longest wait for a slot, in milliseconds; a hash still waiting then is refused. */
  maxWaitMs: number;
  /**
   * Hashes one client address, or one account, may have waiting at once (in either lane);
   * one more that would have to wait is refused at once with 429. Default: a quarter of
   * `queue`, at least 1.
   */
  perClient?: number;
}

/**
 * Defaults of the hashing bound (`AUTH_HASH_CONCURRENCY`, `AUTH_HASH_QUEUE`, `AUTH_HASH_WAIT_MS`):
 * hashing takes at most half the cores (at least one), so the event loop keeps a core to answer.
 * At OWASP's Argon2id parameters a hash takes a few tens of milliseconds of one core, so a
 * full queue of 16 drains in well under a second on one slot; the 5 s wait is reached only
 * on an overloaded machine or behind former scrypt hashes (hundreds of ms each) still
 * being verified.
 */
export const HASHING_BOUND_DEFAULTS: HashingBound = {
  concurrency: Math.max(1, Math.floor(availableParallelism() / 2)),
  queue: 16,
  maxWaitMs: 5_000,
};

/** Slots beyond `concurrency` that only logins on a known device (a valid device cookie) may use. */
export const KNOWN_DEVICE_SLOTS = 1;

/**
 * Known-device hashes started in a row while anonymous ones wait; the next free regular
 * slot then goes to the oldest anonymous hash, so a stream of known-device logins (an
 * attacker's own accounts on many addresses) never starves first-time logins: they get at
 * least one start in `KNOWN_DEVICE_STREAK + 1`.
 */
export const KNOWN_DEVICE_STREAK = 3;

/** The share of the queue one address or one account may hold by default (`perClient`). */
export function defaultPerClient(queue: number): number {
  return Math.max(1, Math.ceil(queue / 4));
}

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

/** Who a hash is computed for: its client address, its account, and whether it comes from a known device. */
export interface HashingClaim {
  /** The client address (`clientAddressKey`). */
  address: string;
  /** The account (`account:<id>`), or the folded name an unknown login or new registration uses. */
  account: string;
  /** A login presenting a valid device cookie of this account: served in the known-device lane. */
  knownDevice?: boolean;
}

interface Waiter {
  start(): void;
  timer: NodeJS.Timeout;
}

/**
 * A process-wide bound on password hashing, fair between clients.
 * - At most `concurrency` hashes run for anonymous clients; up to `queue` more wait (in
 *   arrival order), each at most `maxWaitMs`; beyond that, 503 with `Retry-After` at once.
 * - One client address, and one account, have at most `perClient` hashes waiting: one
 *   more that would wait is refused at once with 429 and `Retry-After`, so a few addresses
 *   cannot fill the queue.
 * - Logins from a known device (a valid device cookie of the account) wait in their own
 *   lane, served before the anonymous one, and may also use `KNOWN_DEVICE_SLOTS` slots
 *   reserved for them; while one is hashing or waiting, no anonymous hash starts. A flood
 *   of anonymous logins thus delays them by no more than the other known-device logins
 *   ahead of them (and shares the CPU with at most the anonymous hashes already running).
 * - That priority is bounded: after `KNOWN_DEVICE_STREAK` known-device starts in a row with
 *   anonymous hashes waiting, the next free regular slot goes to an anonymous one.
 */
export class HashingGate {
  private running = 0;
  /** Known-device hashes running: while any does, no anonymous hash starts. */
  private knownRunning = 0;
  /** Known-device starts in a row while anonymous hashes waited (`KNOWN_DEVICE_STREAK`). */
  private knownStreak = 0;
  private readonly anonymous: Waiter[] = [];
  private readonly knownDevices: Waiter[] = [];
  /** Waiting hashes by `address:…` and `account:…`. */
  private readonly waitingOf = new Map<string, number>();
  private readonly perClient: number;

  constructor(private readonly bound: HashingBound = HASHING_BOUND_DEFAULTS) {
    this.perClient = bound.perClient ?? defaultPerClient(bound.queue);
  }

  /**
   * Runs `work` when a slot is free; throws `HashingBusyException` (503) when it would have
   * to wait and the queue is full (or the wait grows too long), `TooManyAttemptsException`
   * (429) when it would have to wait and the claim's address or account already holds its
   * share of the queue.
   */
  async run<T>(work: () => Promise<T>, claim?: HashingClaim): Promise<T> {
    await this.acquire(claim);
    try {
      return await work();
    } finally {
      this.release(claim?.knownDevice === true);
    }
  }

  /** Runs `work` only if an anonymous slot is free right now and nobody waits; otherwise returns undefined. */
  async runIfIdle<T>(work: () => Promise<T>): Promise<T | undefined> {
    if (!this.anonymousMayStart()) return undefined;
    return this.run(work);
  }

  private anonymousMayStart(): boolean {
    return this.anonymous.length === 0 && this.anonymousSlotFree();
  }

  /**
   * An anonymous hash may take a slot: one of `concurrency` is free and no known device is
   * hashing or waiting, or known devices have had their streak.
   */
  private anonymousSlotFree(): boolean {
    if (this.running >= this.bound.concurrency) return false;
    return this.anonymousTurn() || (this.knownRunning === 0 && this.knownDevices.length === 0);
  }

  /** Known devices started `KNOWN_DEVICE_STREAK` times in a row while anonymous hashes waited. */
  private anonymousTurn(): boolean {
    return this.knownStreak >= KNOWN_DEVICE_STREAK;
  }

  /** A known-device hash may take a slot: one is free, and no anonymous hash is owed the next one. */
  private knownDeviceMayStart(): boolean {
    const anonymousOwed = this.anonymous.length > 0 && this.anonymousTurn();
    return !anonymousOwed && this.running < this.bound.concurrency + KNOWN_DEVICE_SLOTS;
  }

  private acquire(claim: HashingClaim | undefined): Promise<void> {
    const knownDevice = claim?.knownDevice === true;
    const lane = knownDevice ? this.knownDevices : this.anonymous;
    if (knownDevice ? this.knownDevices.length === 0 && this.knownDeviceMayStart() : this.anonymousMayStart()) {
      this.started(knownDevice);
      return Promise.resolve();
    }
    if (lane.length >= this.bound.queue) return Promise.reject(this.busy());
    const keys = claim ? [`address:${claim.address}`, `account:${claim.account}`] : [];
    if (keys.some((key) => (this.waitingOf.get(key) ?? 0) >= this.perClient))
      return Promise.reject(new TooManyAttemptsException(Math.max(1, Math.ceil(this.bound.maxWaitMs / 1000))));
    for (const key of keys) this.waitingOf.set(key, (this.waitingOf.get(key) ?? 0) + 1);
    const leave = () => {
      for (const key of keys) {
        const left = this.waitingOf.get(key)! - 1;
        if (left === 0) this.waitingOf.delete(key);
        else this.waitingOf.set(key, left);
      }
    };
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        start: () => {
          clearTimeout(waiter.timer);
          leave();
          this.started(knownDevice);
          resolve();
        },
        timer: setTimeout(() => {
          lane.splice(lane.indexOf(waiter), 1);
          leave();
          reject(this.busy());
        }, this.bound.maxWaitMs).unref(),
      };
      lane.push(waiter);
    });
  }

  private started(knownDevice: boolean): void {
    this.running += 1;
    if (!knownDevice) {
      this.knownStreak = 0;
      return;
    }
    this.knownRunning += 1;
    if (this.anonymous.length > 0) this.knownStreak += 1;
  }

  private release(knownDevice: boolean): void {
    this.running -= 1;
    if (knownDevice) this.knownRunning -= 1;
    this.startKnownDevices();
    while (this.anonymous.length > 0 && this.anonymousSlotFree()) this.anonymous.shift()!.start();
    this.startKnownDevices();
  }

  private startKnownDevices(): void {
    while (this.knownDevices.length > 0 && this.knownDeviceMayStart()) this.knownDevices.shift()!.start();
  }

  private busy(): HashingBusyException {
    return new HashingBusyException(Math.max(1, Math.ceil(this.bound.maxWaitMs / 1000)));
  }
}
