import { fanoutRun } from '../lib/fanout-run.mjs';
import { fanoutRows, fanoutNotes } from './scenario.mjs';

/**
 * A fan-out scenario at a fixed total send rate (open loop, 10 senders sharing it).
 * Target: forum-chat's p99 latency ≤ the baseline's.
 * @param {string} id
 * @param {number} clients
 * @param {number} ratePerSecond
 * @returns {import('./scenario.mjs').Scenario}
 */
export function fanoutAtRate(id, clients, ratePerSecond) {
  return {
    id,
    title: `fan-out at a fixed rate: ${clients.toLocaleString('en')} clients, ${ratePerSecond} messages/s`,
    targets: ['forum-chat', 'baseline'],
    serverEnv: { CHAT_SEND_QUEUE_LIMIT: '100000' },
    run: (ctx) => fanoutRun(ctx, { clients: Math.round(clients * ctx.cfg.scale), senders: 10, ratePerSecond }),
    rows: (r) => {
      const b = r.baseline?.p99Ms;
      const f = r['forum-chat']?.p99Ms;
      return fanoutRows(id, r, { p99: { target: '≤ baseline', met: b === undefined || f === undefined ? undefined : f <= b } });
    },
    notes: (r) => fanoutNotes(id, r),
  };
}

/** (b) 1,000 clients, 50 messages/s. */
export const b = fanoutAtRate('b', 1000, 50);
/** (c) 5,000 clients, 10 messages/s. */
export const c = fanoutAtRate('c', 5000, 10);
