/**
 * The shape every scenario module exports (as `default`).
 *
 * @typedef {{ cfg: import('../lib/config.mjs').BenchConfig, target: string,
 *   server: import('../lib/server-process.mjs').ServerProcess,
 *   users: import('../lib/auth-client.mjs').BenchUser[],
 *   gen: import('../lib/load-generator.mjs').LoadGenerator }} ScenarioContext
 *
 * @typedef {{ scenario: string, metric: string, baseline?: number, forum?: number,
 *   digits?: number, ratio?: boolean, target?: string, met?: boolean }} Row
 *   One line of the results table. `ratio` prints forum/baseline; `met` is the verdict
 *   on `target` (undefined when there is none or it could not be evaluated).
 *
 * @typedef {{ cfg: import('../lib/config.mjs').BenchConfig, target: string, tmpDir: string, root: string,
 *   startServer: (env: Record<string, string>) => Promise<import('../lib/server-process.mjs').ServerProcess>,
 *   newGenerator: () => import('../lib/load-generator.mjs').LoadGenerator }} OwnServersContext
 *   What a scenario with `ownServers` gets instead: it starts (and stops) its servers itself.
 *
 * @typedef {{ id: string, title: string, targets: string[],
 *   serverEnv?: Record<string, string>, ownServers?: boolean,
 *   run: (ctx: any) => Promise<Record<string, any>>,
 *   rows: (results: Record<string, Record<string, any> | undefined>) => Row[],
 *   notes?: (results: Record<string, Record<string, any> | undefined>) => string[] }} Scenario
 *   `run` measures one target on a fresh server; `rows` turns the targets' results into table rows.
 */

/** Rows common to every fan-out scenario. */
export function fanoutRows(id, results, extra = {}) {
  const b = results.baseline;
  const f = results['forum-chat'];
  return [
    { scenario: id, metric: 'delivered msg/s', baseline: b?.deliveredPerSec, forum: f?.deliveredPerSec, digits: 0, ratio: true, ...extra.rate },
    { scenario: id, metric: 'latency p50 ms', baseline: b?.p50Ms, forum: f?.p50Ms, digits: 2, ratio: true },
    { scenario: id, metric: 'latency p99 ms', baseline: b?.p99Ms, forum: f?.p99Ms, digits: 2, ratio: true, ...extra.p99 },
    { scenario: id, metric: 'messages lost', baseline: b?.lost, forum: f?.lost, digits: 0, target: '0', met: lostMet(f) },
    { scenario: id, metric: 'server CPU µs/delivery', baseline: b?.serverUsPerMsg, forum: f?.serverUsPerMsg, digits: 2, ratio: true },
    { scenario: id, metric: 'server write syscalls/delivery', baseline: b?.writesPerDelivery, forum: f?.writesPerDelivery, digits: 3, ratio: true },
    { scenario: id, metric: 'server CPU %', baseline: b?.serverPct, forum: f?.serverPct, digits: 0 },
    { scenario: id, metric: 'generator CPU %', baseline: b?.generatorPct, forum: f?.generatorPct, digits: 0 },
  ];
}

/** @param {Record<string, any> | undefined} f */
export function lostMet(f) {
  return f ? f.lost === 0 && f.drained !== false : undefined;
}

/** Notes on what bounded each target's run, and on anything abnormal. */
export function fanoutNotes(id, results) {
  const notes = [];
  for (const [name, r] of Object.entries(results)) {
    if (!r) continue;
    let note = `(${id}) ${name}: ${cpuNote(r)}; ${r.connected} sockets connected in ${r.connectSeconds.toFixed(1)} s; probe seen by ${r.probe.got}/${r.probe.open} in ${r.probe.ms} ms; ${r.sent} messages sent`;
    if (Object.keys(r.connectFailures).length) note += `; connect failures ${JSON.stringify(r.connectFailures)}`;
    if (Object.keys(r.closed).length) note += `; sockets closed by the server: ${JSON.stringify(r.closed)}`;
    if (r.reordered) note += `; ${r.reordered} duplicated or out-of-order deliveries`;
    if (!r.drained) note += '; NOT fully drained within the drain time';
    notes.push(note);
  }
  return notes;
}

/**
 * "generator-bound (server 84 %, generator 100 %, other work 10 % of a core; machine 97 % busy)"
 * @param {{ verdict: string, serverPct: number, generatorPct: number, otherPct: number, machinePct: number }} r
 */
export function cpuNote(r) {
  return `${r.verdict} (CPU in % of one core: server ${r.serverPct.toFixed(0)}, generator ${r.generatorPct.toFixed(0)}, other work ${r.otherPct.toFixed(0)}; machine ${r.machinePct.toFixed(0)} % busy)`;
}
