import { CpuWindow, cpuSeconds } from '../lib/proc-stat.mjs';
import { cpuVerdict } from '../lib/cpu-verdict.mjs';
import { socketEntries } from '../lib/socket-plan.mjs';
import { lostMet, cpuNote } from './scenario.mjs';

/**
 * CPU seconds the server's main thread (its event loop; the thread whose id is the process id)
 * has used so far. Work on other threads (SQLite's checkpoints, libuv's pool) is not in it.
 * @param {number} pid
 */
const mainThreadCpuSeconds = (pid) => cpuSeconds(`${pid}/task/${pid}`);

/** Outstanding private messages per user (closed loop on `ack`). */
const INFLIGHT = 1;

/**
 * (d) Private messages: 1,000 users (one socket each) in pairs; each user keeps
 * one private message to its partner outstanding and sends the next on `ack`.
 * Counts acks (and their latency), deliveries to both users' sockets, and checks
 * every recipient got every message. forum-chat only: the baseline has no private
 * messages. Target: ≥ 10,000 acked messages/s.
 * @type {import('./scenario.mjs').Scenario}
 */
export default {
  id: 'd',
  title: 'private messages: 1,000 users in pairs, closed loop on ack',
  targets: ['forum-chat'],
  serverEnv: { CHAT_SEND_QUEUE_LIMIT: '100000' },
  async run({ gen, server, users, cfg }) {
    let n = Math.min(users.length, Math.round(1000 * cfg.scale));
    n -= n % 2;
    const conn = await gen.connect(server.wsUrl, socketEntries(users, n));
    const probe = await gen.probe(30_000);
    /** @type {CpuWindow | null} */
    let window = null;
    /** @type {any} */
    let cpu = null;
    let mainThreadCpu = 0;
    const run = await gen.run({
      mode: 'private',
      senderSockets: Array.from({ length: n }, (_, i) => i),
      partners: Array.from({ length: n }, (_, i) => ({ userId: users[i ^ 1].id, sender: i ^ 1 })),
      inflight: INFLIGHT,
      warmupSeconds: cfg.warmupSeconds,
      seconds: cfg.seconds,
      drainSeconds: cfg.drainSeconds,
      onWindow: (phase) => {
        if (phase === 'open') {
          window = new CpuWindow(server.pid);
          mainThreadCpu = mainThreadCpuSeconds(server.pid);
        } else {
          cpu = window?.stop();
          mainThreadCpu = mainThreadCpuSeconds(server.pid) - mainThreadCpu;
        }
      },
    });
    return {
      connected: conn.opened,
      connectFailures: conn.failures,
      probe,
      sent: run.sent,
      ackedPerSec: run.acks / run.windowSeconds,
      ackP50Ms: run.ack.quantile(0.5) / 1000,
      ackP99Ms: run.ack.quantile(0.99) / 1000,
      deliveredPerSec: run.delivered / run.windowSeconds,
      p99Ms: run.delivery.quantile(0.99) / 1000,
      lost: run.lost,
      unacked: run.unacked,
      reordered: run.reordered,
      closed: run.closed,
      drained: run.drained,
      serverUsPerAck: (1e6 * cpu.serverCpu) / Math.max(1, run.acks),
      mainThreadUsPerAck: (1e6 * mainThreadCpu) / Math.max(1, run.acks),
      ...cpuVerdict(cpu),
    };
  },
  rows(r) {
    const f = r['forum-chat'];
    return [
      { scenario: 'd', metric: 'acked private msg/s', forum: f?.ackedPerSec, digits: 0, target: '≥ 10,000', met: f ? f.ackedPerSec >= 10_000 : undefined },
      { scenario: 'd', metric: 'ack latency p50 ms', forum: f?.ackP50Ms, digits: 2 },
      { scenario: 'd', metric: 'ack latency p99 ms', forum: f?.ackP99Ms, digits: 2 },
      { scenario: 'd', metric: 'delivered msg/s (both users)', forum: f?.deliveredPerSec, digits: 0 },
      { scenario: 'd', metric: 'delivery latency p99 ms', forum: f?.p99Ms, digits: 2 },
      { scenario: 'd', metric: 'messages lost / unacked', forum: f ? f.lost + f.unacked : undefined, digits: 0, target: '0', met: f ? lostMet(f) && f.unacked === 0 : undefined },
      { scenario: 'd', metric: 'server CPU µs/ack', forum: f?.serverUsPerAck, digits: 2 },
      { scenario: 'd', metric: 'server main thread CPU µs/ack', forum: f?.mainThreadUsPerAck, digits: 2 },
      { scenario: 'd', metric: 'server CPU %', forum: f?.serverPct, digits: 0 },
      { scenario: 'd', metric: 'generator CPU %', forum: f?.generatorPct, digits: 0 },
    ];
  },
  notes(r) {
    const f = r['forum-chat'];
    if (!f) return [];
    let note = `(d) forum-chat: ${cpuNote(f)}; ${f.connected} users connected; ${f.sent} private messages sent, ${f.unacked} unacked, ${f.lost} missing at recipients`;
    if (Object.keys(f.connectFailures).length) note += `; connect failures ${JSON.stringify(f.connectFailures)}`;
    if (Object.keys(f.closed).length) note += `; sockets closed by the server: ${JSON.stringify(f.closed)}`;
    if (f.reordered) note += `; ${f.reordered} duplicated or out-of-order deliveries`;
    if (!f.drained) note += '; NOT fully drained within the drain time';
    return [note];
  },
};
