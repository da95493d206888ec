import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

/** Clock ticks per second of `/proc/<pid>/stat` times. */
const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU seconds (user + system, all threads) a process has used so far.
 * @param {number | 'self'} pid
 * @returns {number}
 */
export function cpuSeconds(pid) {
  const { user, system } = cpuSplit(pid);
  return user + system;
}

/**
 * User and system CPU seconds (all threads) a process has used so far, or since `from`.
 * @param {number | 'self'} pid
 * @param {{ user: number, system: number }} [from]
 * @returns {{ user: number, system: number }}
 */
export function cpuSplit(pid, from = { user: 0, system: 0 }) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may itself contain spaces and parentheses; utime, stime (fields 14, 15).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / CLK_TCK - from.user, system: Number(fields[12]) / CLK_TCK - from.system };
}

/**
 * Resident set size of a process in bytes (VmRSS).
 * @param {number | 'self'} pid
 * @returns {number}
 */
export function rssBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : NaN;
}

/**
 * Peak resident set size of a process since it started, in bytes (VmHWM).
 * @param {number | 'self'} pid
 * @returns {number}
 */
export function peakRssBytes(pid) {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : NaN;
}

/**
 * Write-family system calls (write, writev, send…) a process has made so far (`syscw`
 * of `/proc/<pid>/io`); NaN when the kernel does not expose it.
 * @param {number | 'self'} pid
 * @returns {number}
 */
export function writeSyscalls(pid) {
  try {
    const match = /^syscw:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
    return match ? Number(match[1]) : NaN;
  } catch {
    return NaN;
  }
}

/**
 * Busy and total CPU seconds of the whole machine, summed over all cores.
 * The difference of two readings gives the machine's load during a window.
 * @returns {{ busy: number, total: number }}
 */
export function machineCpu() {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = v[3] + (v[4] ?? 0); // idle + iowait
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: (total - idle) / CLK_TCK, total: total / CLK_TCK };
}

/**
 * A CPU meter over one window: server process, this generator process, whole machine.
 * `stop()` returns CPU seconds used by each during the window and its wall time.
 */
export class CpuWindow {
  /** @param {number} serverPid */
  constructor(serverPid) {
    this.serverPid = serverPid;
    this.start = {
      server: cpuSeconds(serverPid),
      self: cpuSeconds('self'),
      machine: machineCpu(),
      writes: writeSyscalls(serverPid),
      at: Date.now(),
    };
  }

  /** @returns {{ serverCpu: number, generatorCpu: number, machineBusy: number, otherCpu: number, serverWrites: number, wall: number }} */
  stop() {
    const server = cpuSeconds(this.serverPid) - this.start.server;
    const self = cpuSeconds('self') - this.start.self;
    const m = machineCpu();
    const busy = m.busy - this.start.machine.busy;
    return {
      serverCpu: server,
      generatorCpu: self,
      machineBusy: busy,
      otherCpu: Math.max(0, busy - server - self),
      serverWrites: writeSyscalls(this.serverPid) - this.start.writes,
      wall: (Date.now() - this.start.at) / 1000,
    };
  }
}
