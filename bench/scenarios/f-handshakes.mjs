import { CpuWindow } from '../lib/proc-stat.mjs';
import { cpuVerdict } from '../lib/cpu-verdict.mjs';
import { cpuNote } from './scenario.mjs';

/** Handshakes kept in progress at once, over all worker threads. */
const CONCURRENCY = 32;

/**
 * (f) Handshakes per second including the session check: loops that open a socket
 * with a session cookie (the server checks it before accepting the upgrade), negotiating
 * `presence_changes` as the page and the typed client do, wait for `open`, close it and
 * start over. Counts handshakes completed in the window,
 * their latency (request → open), refused or failed handshakes, and server CPU each.
 * @type {import('./scenario.mjs').Scenario}
 */
export default {
  id: 'f',
  title: `handshakes per second incl. session check (${CONCURRENCY} concurrent open/close loops)`,
  targets: ['forum-chat', 'baseline'],
  async run({ gen, server, users, cfg }) {
    /** @type {CpuWindow | null} */
    let window = null;
    /** @type {any} */
    let cpu = null;
    const r = await gen.handshakes({
      // as the page and the typed client connect (the baseline ignores the query)
      url: `${server.wsUrl}?caps=presence_changes`,
      cookies: users.map((u) => u.cookie),
      concurrency: Math.max(2, Math.round(CONCURRENCY * Math.min(1, cfg.scale))),
      warmupSeconds: cfg.warmupSeconds,
      seconds: cfg.seconds,
      onWindow: (phase) => {
        if (phase === 'open') window = new CpuWindow(server.pid);
        else cpu = window?.stop();
      },
    });
    return {
      perSec: r.ok / r.windowSeconds,
      p50Ms: r.latency.quantile(0.5) / 1000,
      p99Ms: r.latency.quantile(0.99) / 1000,
      failures: r.failures,
      failed: Object.values(r.failures).reduce((a, b) => a + b, 0),
      serverUsPerHandshake: (1e6 * cpu.serverCpu) / Math.max(1, r.ok),
      ...cpuVerdict(cpu),
    };
  },
  rows(r) {
    const b = r.baseline;
    const f = r['forum-chat'];
    return [
      {
        scenario: 'f',
        metric: 'handshakes/s',
        baseline: b?.perSec,
        forum: f?.perSec,
        digits: 0,
        ratio: true,
        target: '≥ baseline',
        met: b === undefined || f === undefined ? undefined : f.perSec >= b.perSec,
      },
      { scenario: 'f', metric: 'handshake p50 ms', baseline: b?.p50Ms, forum: f?.p50Ms, digits: 2, ratio: true },
      { scenario: 'f', metric: 'handshake p99 ms', baseline: b?.p99Ms, forum: f?.p99Ms, digits: 2, ratio: true },
      { scenario: 'f', metric: 'failed handshakes', baseline: b?.failed, forum: f?.failed, digits: 0, target: '0', met: f ? f.failed === 0 : undefined },
      { scenario: 'f', metric: 'server CPU µs/handshake', baseline: b?.serverUsPerHandshake, forum: f?.serverUsPerHandshake, digits: 1, ratio: true },
      { scenario: 'f', metric: 'server CPU %', baseline: b?.serverPct, forum: f?.serverPct, digits: 0 },
      { scenario: 'f', metric: 'generator CPU %', baseline: b?.generatorPct, forum: f?.generatorPct, digits: 0 },
    ];
  },
  notes(r) {
    return Object.entries(r)
      .filter(([, v]) => v)
      .map(([name, v]) =>
        `(f) ${name}: ${cpuNote(/** @type {any} */ (v))}` +
        (v?.failed ? `; failures ${JSON.stringify(v.failures)}` : ''),
      );
  },
};
