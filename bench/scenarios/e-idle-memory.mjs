import { rssBytes } from '../lib/proc-stat.mjs';
import { socketEntries } from '../lib/socket-plan.mjs';

/** Time for the server to settle (presence fan-out, GC) before RSS is read. */
const SETTLE_MS = 3000;
/** RSS is read this many times, 250 ms apart, after settling; the median is kept. */
const RSS_SAMPLES = 9;
/** Connection counts at which memory is read. */
const STEPS = [5000, 10000];

/**
 * (e) Idle memory per connection: RSS of the server process before any socket,
 * then after 5,000 and after 10,000 idle authenticated sockets (settled 3 s, then
 * the median of 9 readings over 2 s);
 * reports (RSS − RSS before) / sockets, the marginal cost of the second 5,000 (which
 * excludes the process's one-off growth while the first sockets and users arrive), and
 * whether all 10,000 are still open.
 * Targets: ≤ 1.3× the baseline's memory per connection; 10,000 connections held.
 * @type {import('./scenario.mjs').Scenario}
 */
export default {
  id: 'e',
  title: 'idle memory per connection at 5,000 and 10,000 connections',
  targets: ['forum-chat', 'baseline'],
  serverEnv: { CHAT_SEND_QUEUE_LIMIT: '100000' },
  async run({ gen, server, users, cfg }) {
    await settle();
    const before = await medianRss(server.pid);
    /** @type {Record<string, any>} */
    const out = { rssBeforeMiB: before / 2 ** 20, steps: [] };
    let have = 0;
    for (const step of STEPS) {
      const want = Math.round(step * cfg.scale);
      const conn = await gen.connect(server.wsUrl, socketEntries(users, want - have, have), 128);
      have = want;
      await settle();
      const rss = await medianRss(server.pid);
      const census = await gen.census();
      out.steps.push({
        connections: want,
        open: census.open,
        closed: census.closed,
        failures: conn.failures,
        connectSeconds: conn.seconds,
        kibPerConn: (rss - before) / 1024 / Math.max(1, census.open),
        rssMiB: rss / 2 ** 20,
      });
    }
    return out;
  },
  rows(r) {
    const b = r.baseline;
    const f = r['forum-chat'];
    const rows = STEPS.map((step, i) => {
      const bv = b?.steps[i]?.kibPerConn;
      const fv = f?.steps[i]?.kibPerConn;
      return /** @type {import('./scenario.mjs').Row} */ ({
        scenario: 'e',
        metric: `KiB per idle connection @${step.toLocaleString('en')}`,
        baseline: bv,
        forum: fv,
        digits: 1,
        ratio: true,
        target: '≤ 1.3× baseline',
        met: bv === undefined || fv === undefined ? undefined : fv <= 1.3 * bv,
      });
    });
    const last = STEPS.length - 1;
    const marginal = (/** @type {any} */ r) =>
      r ? ((r.steps[last].rssMiB - r.steps[last - 1].rssMiB) * 1024) / Math.max(1, r.steps[last].open - r.steps[last - 1].open) : undefined;
    rows.push({
      scenario: 'e',
      metric: `KiB per extra connection ${STEPS[last - 1].toLocaleString('en')}→${STEPS[last].toLocaleString('en')}`,
      baseline: marginal(b),
      forum: marginal(f),
      digits: 1,
      ratio: true,
    });
    rows.push({
      scenario: 'e',
      metric: 'connections held',
      baseline: b?.steps[last]?.open,
      forum: f?.steps[last]?.open,
      digits: 0,
      target: `${STEPS[last].toLocaleString('en')}`,
      met: f ? f.steps[last].open >= f.steps[last].connections && f.steps[last].connections >= STEPS[last] : undefined,
    });
    return rows;
  },
  notes(r) {
    return Object.entries(r)
      .filter(([, v]) => v)
      .map(([name, v]) => {
        const steps = v?.steps.map(
          (s) => `${s.open}/${s.connections} open, RSS ${s.rssMiB.toFixed(0)} MiB, connected in ${s.connectSeconds.toFixed(1)} s` +
            (Object.keys(s.failures).length ? `, failures ${JSON.stringify(s.failures)}` : '') +
            (Object.keys(s.closed).length ? `, closed ${JSON.stringify(s.closed)}` : ''),
        );
        return `(e) ${name}: RSS before ${v?.rssBeforeMiB.toFixed(0)} MiB; ${steps.join('; ')}`;
      });
  },
};

/** Median of RSS_SAMPLES readings of the server's RSS, in bytes. */
async function medianRss(pid) {
  const samples = [];
  for (let i = 0; i < RSS_SAMPLES; i++) {
    samples.push(rssBytes(pid));
    await new Promise((r) => setTimeout(r, 250));
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

function settle() {
  return new Promise((r) => setTimeout(r, SETTLE_MS));
}
