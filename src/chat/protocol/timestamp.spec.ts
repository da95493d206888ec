import { describe, expect, it } from 'vitest';
import { timestamp } from './timestamp.js';

describe('timestamp', () => {
  it('is the RFC 3339 UTC text of each millisecond asked, whatever was asked before', () => {
    const at = Date.UTC(2026, 10, 26, 8, 0, 0, 1);
    expect(timestamp(at)).toBe('2026-11-26T08:00:00.001Z');
    expect(timestamp(at)).toBe('2026-11-26T08:00:00.001Z');
    expect(timestamp(at + 1)).toBe('2026-11-26T08:00:00.002Z');
    expect(timestamp(at)).toBe('2026-11-26T08:00:00.001Z');
    expect(Date.parse(timestamp())).toBeGreaterThanOrEqual(at);
  });

  it('is exactly toISOString for every millisecond of a second, across seconds, and outside the four-digit years', () => {
    const base = Date.UTC(2026, 11, 31, 23, 59, 58);
    for (let at = base; at < base + 3000; at += 7) expect(timestamp(at)).toBe(new Date(at).toISOString());
    for (const at of [0, 999, 1000, 1.5, -1, -1500, 253_402_300_799_999, 253_402_300_800_000, 8.64e15])
      expect(timestamp(at), String(at)).toBe(new Date(at).toISOString());
  });

  it('refuses a time that has no date every time it is asked, never answering the text of an earlier one', () => {
    const at = Date.UTC(2026, 10, 26, 8, 0, 0, 1);
    for (const invalid of [9e15, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(timestamp(at)).toBe('2026-11-26T08:00:00.001Z');
      expect(() => timestamp(invalid)).toThrow(RangeError);
      expect(() => timestamp(invalid)).toThrow(RangeError);
    }
  });
});
