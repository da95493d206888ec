import { availableParallelism } from 'node:os';
import { machineCpu } from './proc-stat.mjs';

/**
 * Waits (at most `maxWaitMs`) until the machine's CPU, measured over 1 s, is below
 * `busyPct` of all cores, so that a server is not measured while unrelated work
 * holds the cores. Never throws; reports what it saw.
 * @param {number} maxWaitMs
 * @param {number} [busyPct]
 * @returns {Promise<{ busyPct: number, waitedMs: number }>} the last 1-second reading
 */
export async function waitForQuietMachine(maxWaitMs, busyPct = 25) {
  const started = Date.now();
  let last = 0;
  do {
    const a = machineCpu();
    await new Promise((r) => setTimeout(r, 1000));
    const b = machineCpu();
    last = (100 * (b.busy - a.busy)) / (b.total - a.total || 1);
    if (last < busyPct) break;
  } while (Date.now() - started < maxWaitMs);
  return { busyPct: last, waitedMs: Date.now() - started };
}

/** Cores on this machine. */
export const CORES = availableParallelism();
