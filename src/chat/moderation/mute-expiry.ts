import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ModerationStore, Mute } from './moderation.store.js';
import { MuteNotices } from './mute-notices.js';

/** Longest time between two looks for mutes that ran out, on each instance. */
export const MUTE_SWEEP_MS = 5_000;
/** Most ended mutes taken from the store at once (a sweep takes batches until none is left). */
const SWEEP_BATCH = 200;

/**
 * Announces the end of timed mutes: when a mute's `until` passes, every socket of the muted
 * user, on every instance, gets `unmuted` (the mute itself stops applying at `until` on
 * every instance regardless: posts are checked against the store). Each ended mute is
 * announced once in the cluster (the store hands it to one sweep only), and not at all when
 * the user was muted there again before its end. A mute stored on this instance is
 * announced at its end; one stored elsewhere within `MUTE_SWEEP_MS` of its end (the
 * instance that stored it sweeps at the end too, unless it stopped), as are mutes that
 * ended while no instance was running. A store without `endExpiredMutes` / `nextMuteEnd`
 * (a host's own) leaves timed mutes unannounced.
 */
@Injectable()
export class MuteExpiry implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(MuteExpiry.name);
  private timer: NodeJS.Timeout | null = null;
  private wakeAt = Infinity;
  private running = false;
  /** The sweep running or last run: sweeps never overlap. */
  private tail: Promise<void> = Promise.resolve();

  constructor(
    @Inject(ModerationStore) private readonly store: ModerationStore,
    private readonly notices: MuteNotices,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.store.endExpiredMutes || !this.store.nextMuteEnd) return;
    this.running = true;
    void this.sweep();
  }

  async onModuleDestroy(): Promise<void> {
    this.running = false;
    this.disarm();
    await this.tail;
  }

  /** A mute stored on this instance ends at `until` (epoch ms): sweep then. */
  expectEndAt(until: number): void {
    if (this.running && until < this.wakeAt) this.arm(until);
  }

  /** Announces every mute that has run out, after any sweep still running. */
  sweep(): Promise<void> {
    const next = this.tail.then(() => this.sweepOnce());
    this.tail = next;
    return next;
  }

  private async sweepOnce(): Promise<void> {
    if (!this.running) return;
    let nextEnd: number | null = null;
    try {
      const now = Date.now();
      for (let ended = await this.endExpired(now); ended.length > 0; ended = await this.endExpired(now)) {
        // one mute whose announcement fails does not cost the others of the batch theirs
        for (const mute of ended)
          await this.announceEnd(mute, now).catch((error: Error) =>
            this.logger.warn(`unmuted for user ${mute.userId} in ${mute.room} not announced: ${error.message}`),
          );
      }
      nextEnd = await this.store.nextMuteEnd!(now);
    } catch (error) {
      this.logger.warn(`mute expiry sweep failed: ${(error as Error).message}`);
    }
    if (this.running) this.arm(Math.min(nextEnd ?? Infinity, this.wakeAt));
  }

  private endExpired(now: number): Promise<Mute[]> {
    return this.store.endExpiredMutes!(now, SWEEP_BATCH);
  }

  /** `unmuted` for an ended mute, unless the user was muted in the room again since. */
  private async announceEnd(mute: Mute, now: number): Promise<void> {
    if (await this.store.muteOf(mute.room, mute.userId, now)) return;
    await this.notices.unmuted(mute.room, mute.userId);
  }

  /** Wakes at `at`, or within `MUTE_SWEEP_MS`, whichever is sooner. */
  private arm(at: number): void {
    this.disarm();
    const now = Date.now();
    this.wakeAt = Math.min(at, now + MUTE_SWEEP_MS);
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.wakeAt = Infinity;
        void this.sweep();
      },
      Math.max(0, this.wakeAt - now),
    ).unref();
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.wakeAt = Infinity;
  }
}
