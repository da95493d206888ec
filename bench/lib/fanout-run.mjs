import { CpuWindow } from './proc-stat.mjs';
import { cpuVerdict } from './cpu-verdict.mjs';
import { socketEntries } from './socket-plan.mjs';

/**
 * One public-room fan-out measurement: `clients` sockets connect, a probe proves
 * they are all in the room, `senders` of them send (closed loop with `inflight`
 * outstanding each, or open loop at `ratePerSecond` in total), and every socket
 * checks it received every numbered message of every sender.
 * @param {import('../scenarios/scenario.mjs').ScenarioContext} ctx
 * @param {{ clients: number, senders: number, inflight?: number, ratePerSecond?: number }} shape
 */
export async function fanoutRun(ctx, shape) {
  const { gen, server, users, cfg } = ctx;
  const conn = await gen.connect(server.wsUrl, socketEntries(users, shape.clients));
  const probe = await gen.probe(30_000);
  /** @type {CpuWindow | null} */
  let window = null;
  /** @type {ReturnType<CpuWindow['stop']> | null} */
  let cpu = null;
  const run = await gen.run({
    mode: shape.ratePerSecond ? 'rate' : 'closed',
    senderSockets: Array.from({ length: shape.senders }, (_, i) => i),
    inflight: shape.inflight ?? 0,
    ratePerSecond: shape.ratePerSecond,
    warmupSeconds: cfg.warmupSeconds,
    seconds: cfg.seconds,
    drainSeconds: cfg.drainSeconds,
    onWindow: (phase) => {
      if (phase === 'open') window = new CpuWindow(server.pid);
      else cpu = window?.stop() ?? null;
    },
  });
  const c = /** @type {ReturnType<CpuWindow['stop']>} */ (/** @type {unknown} */ (cpu));
  const v = cpuVerdict(c);
  return {
    connected: conn.opened,
    connectFailures: conn.failures,
    connectSeconds: conn.seconds,
    probe,
    sent: run.sent,
    deliveredPerSec: run.delivered / run.windowSeconds,
    p50Ms: run.delivery.quantile(0.5) / 1000,
    p99Ms: run.delivery.quantile(0.99) / 1000,
    lost: run.lost,
    reordered: run.reordered,
    closed: run.closed,
    drained: run.drained,
    serverUsPerMsg: (1e6 * c.serverCpu) / Math.max(1, run.delivered),
    writesPerDelivery: c.serverWrites / Math.max(1, run.delivered),
    ...v,
  };
}
