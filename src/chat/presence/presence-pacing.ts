import { PRESENCE_STORM_PAUSE_MAX_MS } from './presence-limits.js';

/**
 * When the next `presence` frame of a node may go (`PresenceChangesTicker`). Three bounds,
 * all measured from the last frame sent:
 * - the node's rate: at least `nodeIntervalMs` (sockets ÷ `PRESENCE_FRAMES_PER_SECOND`),
 *   so the frames a node writes per second stay bounded however many sockets it holds;
 * - the listing pause: after a frame that listed k users (an overflow counts as
 *   `perFrame`), k ÷ `perFrame` seconds, so a socket receives at most about `perFrame`
 *   listed users per second;
 * - the storm pause: after the j-th overflow frame in a row, 2^(j−1) seconds (at most
 *   `PRESENCE_STORM_PAUSE_MAX_MS`), so a client gets a handful of count-only frames
 *   however long a storm lasts — but only while it goes on: once the changes come slower
 *   than `perFrame` per second (the storm is over; `calm`), this pause is waived and the
 *   exact count goes out at once.
 * A frame that is not an overflow ends the run of overflows.
 */
export class PresencePacing {
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private listingUntil = 0;
  private stormUntil = 0;
  private overflowRun = 0;

  constructor(private readonly perFrame: number) {}

  /**
   * Whether a frame may go at `now` (epoch ms) on a node whose rate bound is
   * `nodeIntervalMs`; `calm`: since the previous check, changes came slower than
   * `perFrame` per second.
   */
  mayFlush(now: number, nodeIntervalMs: number, calm: boolean): boolean {
    if (now < this.earliest(nodeIntervalMs)) return false;
    return calm || now >= this.stormUntil;
  }

  /** Whether `changes` over `elapsedMs` are slower than `perFrame` per second (see `mayFlush`). */
  isCalm(changes: number, elapsedMs: number): boolean {
    return changes * 1000 < this.perFrame * elapsedMs;
  }

  /** Before this epoch ms no frame may go, calm or not. */
  earliest(nodeIntervalMs: number): number {
    return Math.max(this.listingUntil, this.lastSentAt + nodeIntervalMs);
  }

  /** A frame went at `now`, listing `listed` users, or only the count (`overflow`). */
  sent(now: number, listed: number, overflow: boolean): void {
    this.lastSentAt = now;
    const counted = overflow ? this.perFrame : listed;
    this.listingUntil = now + Math.round((1000 * counted) / this.perFrame);
    this.overflowRun = overflow ? this.overflowRun + 1 : 0;
    this.stormUntil = overflow ? now + Math.min(1000 * 2 ** (this.overflowRun - 1), PRESENCE_STORM_PAUSE_MAX_MS) : 0;
  }
}
