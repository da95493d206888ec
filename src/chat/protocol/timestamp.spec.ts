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
});
