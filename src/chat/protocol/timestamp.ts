let lastEpochMs = Number.NaN;
let lastStamp = '';

/** RFC 3339 in UTC with milliseconds, e.g. `2026-11-26T08:00:00.000Z` (the last one is reused within its millisecond). */
export function timestamp(epochMs: number = Date.now()): string {
  if (epochMs !== lastEpochMs) {
    lastStamp = new Date(epochMs).toISOString();
    lastEpochMs = epochMs;
  }
  return lastStamp;
}
