import { describe, expect, it } from 'vitest';
import { PresencePacing } from './presence-pacing.js';
import { PRESENCE_STORM_PAUSE_MAX_MS } from './presence-limits.js';

/** The first epoch ms (stepping by `step`) at which `pacing` lets a frame go, changes going on (not calm). */
function nextWhileBusy(pacing: PresencePacing, from: number, nodeIntervalMs = 0, step = 50): number {
  let at = from;
  while (!pacing.mayFlush(at, nodeIntervalMs, false)) at += step;
  return at;
}

describe('PresencePacing', () => {
  it('lets the first frame go at once', () => {
    expect(new PresencePacing(100).mayFlush(1_000, 0, false)).toBe(true);
  });

  it('after a frame that listed k users, waits k / perFrame seconds, calm or not', () => {
    const pacing = new PresencePacing(100);
    pacing.sent(10_000, 50, false);
    expect(pacing.mayFlush(10_499, 0, true)).toBe(false);
    expect(pacing.mayFlush(10_500, 0, false)).toBe(true);
  });

  it('never sends faster than the node interval, calm or not', () => {
    const pacing = new PresencePacing(100);
    pacing.sent(10_000, 1, false);
    expect(pacing.mayFlush(10_999, 1_000, true)).toBe(false);
    expect(pacing.mayFlush(11_000, 1_000, false)).toBe(true);
  });

  it('while changes go on, count-only frames in a row wait 1, 2, 4, 8 s, then 8 s each', () => {
    const pacing = new PresencePacing(100);
    const sentAt: number[] = [];
    let at = 0;
    for (let i = 0; i < 6; i++) {
      at = nextWhileBusy(pacing, at);
      sentAt.push(at);
      pacing.sent(at, 5_000, true);
    }
    const pauses = sentAt.slice(1).map((t, i) => t - sentAt[i]);
    expect(pauses).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
    expect(PRESENCE_STORM_PAUSE_MAX_MS).toBe(8_000);
  });

  it('once the changes slow down, the storm pause is waived but not the listing pause', () => {
    const pacing = new PresencePacing(100);
    pacing.sent(0, 5_000, true);
    pacing.sent(1_000, 5_000, true);
    pacing.sent(3_000, 5_000, true); // storm pause now 4 s, listing pause 1 s
    expect(pacing.mayFlush(3_999, 0, true)).toBe(false);
    expect(pacing.mayFlush(4_000, 0, false)).toBe(false);
    expect(pacing.mayFlush(4_000, 0, true)).toBe(true);
  });

  it('calls changes calm when they come slower than perFrame per second', () => {
    const pacing = new PresencePacing(100);
    expect(pacing.isCalm(0, 200)).toBe(true);
    expect(pacing.isCalm(19, 200)).toBe(true);
    expect(pacing.isCalm(20, 200)).toBe(false);
    expect(pacing.isCalm(150, 1_000)).toBe(false);
  });

  it('a frame that lists users ends the run of count-only frames', () => {
    const pacing = new PresencePacing(100);
    pacing.sent(0, 5_000, true);
    pacing.sent(1_000, 5_000, true);
    pacing.sent(3_000, 10, false);
    expect(nextWhileBusy(pacing, 3_000)).toBe(3_100);
    pacing.sent(3_100, 5_000, true);
    expect(nextWhileBusy(pacing, 3_100)).toBe(4_100);
  });
});
