import os from 'node:os';
import { execFileSync } from 'node:child_process';

/**
 * A one-line description of the machine a run happened on: cores, CPU model,
 * memory, kernel, Node version, open-file limit.
 * @returns {string}
 */
export function describeMachine() {
  const cpus = os.cpus();
  let fileLimit = '?';
  try {
    fileLimit = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
  } catch {
    // keep '?'
  }
  return [
    `nproc ${os.availableParallelism()}`,
    cpus[0]?.model?.trim(),
    `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM`,
    `Linux ${os.release()}`,
    `Node ${process.version}`,
    `ulimit -n ${fileLimit}`,
  ]
    .filter(Boolean)
    .join(', ');
}
