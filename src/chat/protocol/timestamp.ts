/** RFC 3339 in UTC with milliseconds, e.g. `2026-11-26T08:00:00.000Z`. */
export function timestamp(epochMs: number = Date.now()): string {
  return new Date(epochMs).toISOString();
}
