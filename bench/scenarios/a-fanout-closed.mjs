import { fanoutRun } from '../lib/fanout-run.mjs';
import { fanoutRows, fanoutNotes } from './scenario.mjs';

/**
 * (a) Fan-out capacity, closed loop: 1,000 sockets in the public room, 10 of them
 * senders keeping 2 messages each in flight (the next is sent when the sender's own
 * copy comes back). Target: forum-chat delivers ≥ 4× the baseline's messages/s.
 * @type {import('./scenario.mjs').Scenario}
 */
export default {
  id: 'a',
  title: 'fan-out capacity, closed loop: 1,000 clients, 10 senders × 2 in flight',
  targets: ['forum-chat', 'baseline'],
  serverEnv: { CHAT_SEND_QUEUE_LIMIT: '100000' },
  run: (ctx) => fanoutRun(ctx, { clients: Math.round(1000 * ctx.cfg.scale), senders: 10, inflight: 2 }),
  rows: (r) =>
    fanoutRows('a', r, {
      rate: { target: '≥ 4× baseline', met: ratioAtLeast(r, 'deliveredPerSec', 4) },
    }),
  notes: (r) => fanoutNotes('a', r),
};

/** forum ≥ k × baseline, or undefined when either is missing. */
export function ratioAtLeast(r, key, k) {
  const b = r.baseline?.[key];
  const f = r['forum-chat']?.[key];
  return b === undefined || f === undefined ? undefined : f >= k * b;
}
