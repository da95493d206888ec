import { availableParallelism } from 'node:os';

/**
 * Names what limited a measured window, from the CPU each party used in it:
 * `server-bound` when the server used ≥ 85 % of a core (Node serves on one thread;
 * the rest of its time goes to waiting on I/O);
 * `generator-bound` when the machine was ≥ 90 % busy and the generator used more
 * than the server and than other work; `CPU-saturated` when the machine was busy
 * for other reasons (other processes: see `otherPct`);
 * otherwise `not CPU-bound` (latency or rate limits the run).
 * @param {{ serverCpu: number, generatorCpu: number, machineBusy: number, wall: number }} cpu
 * @returns {{ verdict: string, serverPct: number, generatorPct: number, machinePct: number, otherPct: number }}
 *   percentages of one core, except `machinePct` (of all cores); `otherPct` is CPU used by
 *   neither the server nor the generator (other work on the machine)
 */
export function cpuVerdict(cpu) {
  const serverPct = (100 * cpu.serverCpu) / cpu.wall;
  const generatorPct = (100 * cpu.generatorCpu) / cpu.wall;
  const machinePct = (100 * cpu.machineBusy) / cpu.wall / availableParallelism();
  const otherPct = Math.max(0, (100 * cpu.machineBusy) / cpu.wall - serverPct - generatorPct);
  let verdict = 'not CPU-bound';
  if (serverPct >= 85) verdict = 'server-bound';
  else if (machinePct >= 90) verdict = generatorPct > serverPct && generatorPct > otherPct ? 'generator-bound' : 'CPU-saturated';
  return { verdict, serverPct, generatorPct, machinePct, otherPct };
}
