/**
 * Microseconds on the monotonic clock. The same clock in every worker thread of
 * the process, so a timestamp taken in one thread can be compared in another.
 * @returns {number}
 */
export function nowUs() {
  return Number(process.hrtime.bigint() / 1000n);
}
