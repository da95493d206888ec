// CPU time and wall time of one password verification with the current hashing (Argon2id at
// the default parameters) and with a former scrypt N=2^17 hash, on this process's own clock
// (process.cpuUsage counts the thread-pool threads that hash), so the CPU figure holds on a
// busy machine where wall time does not.
//
//   npm run build && node bench/password-hash-cost.mjs      # BENCH_HASH_ROUNDS (default 20)
//
// Never part of `npm test`.
import { execSync } from 'node:child_process';
import { PasswordHasher } from '../dist/forum/auth/password-hasher.js';
import { hashScrypt } from '../dist/forum/auth/scrypt-hash.js';

const ROUNDS = Number(process.env.BENCH_HASH_ROUNDS ?? 20);
const PASSWORD = 'correct horse battery';
const hasher = new PasswordHasher();

/** Runs `verify` once to warm up, then `ROUNDS` times; prints CPU and wall milliseconds per verification. */
async function measure(label, stored) {
  await hasher.verify(PASSWORD, stored);
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < ROUNDS; i++) if (!(await hasher.verify(PASSWORD, stored))) throw new Error(`${label}: refused`);
  const used = process.cpuUsage(cpu);
  const wall = (performance.now() - started) / ROUNDS;
  console.log(`| ${label} | ${((used.user + used.system) / 1000 / ROUNDS).toFixed(1)} ms | ${wall.toFixed(1)} ms |`);
}

console.log(`# command: node bench/password-hash-cost.mjs (${ROUNDS} verifications each)`);
console.log(`# ${execSync('uptime').toString().trim()}`);
console.log('| hash | CPU per verification | wall per verification |');
console.log('|---|---|---|');
const { memoryKiB, timeCost, parallelism } = hasher.parameters;
await measure(`Argon2id m=${memoryKiB} t=${timeCost} p=${parallelism}`, await hasher.hash(PASSWORD));
await measure('scrypt N=2^17 r=8 p=1 (former)', await hashScrypt(PASSWORD, { N: 1 << 17, r: 8, p: 1 }));
console.log(`# ${execSync('uptime').toString().trim()}`);
