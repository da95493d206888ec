let lastEpochMs = Number.NaN;
let lastStamp = '';
/** Start (epoch ms) of the second `secondPrefix` names. */
let secondStart = Number.NaN;
/** `YYYY-MM-DDTHH:MM:SS.` of that second. */
let secondPrefix = '';
/** Epoch ms of 10000-01-01: from there on an ISO year has more than four digits. */
const YEAR_10000 = 253_402_300_800_000;

/**
 * RFC 3339 in UTC with milliseconds, e.g. `2026-11-26T08:00:00.000Z` (exactly
 * `Date.prototype.toISOString`'s text; the last one is reused within its millisecond, and
 * the date and time of day within their second).
 */
export function timestamp(epochMs: number = Date.now()): string {
  if (epochMs === lastEpochMs) return lastStamp;
  if (!Number.isInteger(epochMs) || epochMs < 0 || epochMs >= YEAR_10000) {
    lastStamp = new Date(epochMs).toISOString(); // throws for a time without a date, remembering nothing
    lastEpochMs = epochMs;
    return lastStamp;
  }
  lastEpochMs = epochMs;
  const ms = epochMs % 1000;
  const second = epochMs - ms;
  if (second !== secondStart) {
    secondStart = second;
    secondPrefix = new Date(second).toISOString().slice(0, 20);
  }
  return (lastStamp = `${secondPrefix}${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`);
}
