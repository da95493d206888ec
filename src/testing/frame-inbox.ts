import type { ServerFrame } from '../chat/protocol/frames.js';

interface Waiter {
  accepts(frame: ServerFrame): boolean;
  resolve(frame: ServerFrame): void;
  fail(error: Error): void;
}

/**
 * The frames one socket received, in order, each taken at most once: `take` hands out the
 * oldest frame not yet taken that a predicate accepts — already received, or the first
 * one to arrive — and fails after a timeout or when the inbox is closed.
 */
export class FrameInbox {
  private readonly received: ServerFrame[] = [];
  private readonly taken = new Set<number>();
  private waiters: Waiter[] = [];
  private closedWith: Error | null = null;

  /** Every frame received so far, taken or not. */
  get all(): readonly ServerFrame[] {
    return this.received;
  }

  /** How many frames were received so far (a mark for `untakenBefore`). */
  get count(): number {
    return this.received.length;
  }

  /** Records a frame and hands it to the oldest waiter that accepts it. */
  push(frame: ServerFrame): void {
    const index = this.received.push(frame) - 1;
    const waiter = this.waiters.find((candidate) => candidate.accepts(frame));
    if (!waiter) return;
    this.taken.add(index);
    this.waiters = this.waiters.filter((candidate) => candidate !== waiter);
    waiter.resolve(frame);
  }

  /** Frames received before `mark` that no `take` returned. */
  untakenBefore(mark: number): ServerFrame[] {
    return this.received.slice(0, mark).filter((_, index) => !this.taken.has(index));
  }

  /** Frames no `take` returned. */
  untaken(): ServerFrame[] {
    return this.untakenBefore(this.received.length);
  }

  /** Fails every pending and future `take` that finds nothing already received. */
  close(reason: Error): void {
    this.closedWith = reason;
    for (const waiter of this.waiters.splice(0)) waiter.fail(reason);
  }

  /** The oldest untaken frame `accepts` accepts; `describe` names it in the timeout error. */
  take(accepts: (frame: ServerFrame) => boolean, timeoutMs: number, describe: () => string): Promise<ServerFrame> {
    const index = this.received.findIndex((frame, i) => !this.taken.has(i) && accepts(frame));
    if (index >= 0) {
      this.taken.add(index);
      return Promise.resolve(this.received[index]);
    }
    if (this.closedWith) return Promise.reject(new Error(`${describe()}: ${this.closedWith.message}`));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        accepts,
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(frame);
        },
        fail: (error) => {
          clearTimeout(timer);
          reject(new Error(`${describe()}: ${error.message}`));
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((candidate) => candidate !== waiter);
        reject(new Error(`${describe()}: none within ${timeoutMs} ms; not taken: ${preview(this.untaken())}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }
}

/** The frames as JSON, cut to a readable length. */
export function preview(frames: readonly ServerFrame[]): string {
  const text = JSON.stringify(frames);
  return text.length > 1500 ? `${text.slice(0, 1500)}…` : text;
}
