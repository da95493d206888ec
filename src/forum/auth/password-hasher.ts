import { randomBytes } from 'node:crypto';
import { type Algorithm, hash, parseOptions, verify, type Version } from '@node-rs/argon2';
import {
  ARGON2ID_LIMITS,
  argon2idParametersProblem,
  type Argon2idParameters,
  OWASP_ARGON2ID,
} from './argon2id-parameters.js';
import { isScryptHash, verifyScrypt } from './scrypt-hash.js';

/** `Algorithm.Argon2id` and `Version.V0x13` of `@node-rs/argon2` (ambient const enums, not importable as values here). */
const ARGON2ID = 2 as Algorithm;
const VERSION_19 = 1 as Version;
const KEY_LENGTH = 32;

/**
 * The parameters of a well-formed Argon2id (v=19) PHC string within `ARGON2ID_LIMITS`;
 * null for anything else (another scheme, a malformed string, a corrupt or hostile row).
 */
function argon2idParametersOf(stored: string): Argon2idParameters | null {
  if (!stored.startsWith('$argon2id$')) return null;
  let parsed;
  try {
    parsed = parseOptions(stored);
  } catch {
    return null;
  }
  const { algorithm, version, memoryCost, timeCost, parallelism, outputLen, saltLen } = parsed;
  if (algorithm !== ARGON2ID || version !== VERSION_19) return null;
  if (memoryCost > ARGON2ID_LIMITS.maxMemoryKiB || timeCost > ARGON2ID_LIMITS.maxTimeCost) return null;
  if (parallelism > ARGON2ID_LIMITS.maxParallelism || outputLen < 16 || outputLen > 64 || saltLen < 8) return null;
  return { memoryKiB: memoryCost, timeCost, parallelism };
}

/**
 * Password hashing with Argon2id (`@node-rs/argon2`, on libuv's thread pool, off the event
 * loop), at OWASP's parameters by default. Hashes are PHC strings that carry their
 * parameters (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`); passwords are NFC-normalised first.
 * - `verify` accepts an Argon2id hash made with any parameters within `ARGON2ID_LIMITS`, and
 *   a scrypt hash of the former format (`scrypt$N$r$p$salt$key`); anything else, or a hash
 *   asking for more than those limits (a corrupt or hostile row), is false without hashing.
 *   The comparison is constant-time.
 * - `needsRehash` is true for every hash not made with this hasher's Argon2id parameters,
 *   scrypt ones included: the caller replaces it after a successful login.
 * - An unknown login is checked against `dummyHash`, an Argon2id hash at this hasher's
 *   parameters, so it costs what an account with a current hash costs.
 */
export class PasswordHasher {
  private dummy: Promise<string> | undefined;

  /** @throws Error naming the parameter when `parameters` are below OWASP's minimum or beyond `ARGON2ID_LIMITS`. */
  constructor(readonly parameters: Argon2idParameters = OWASP_ARGON2ID) {
    const problem = argon2idParametersProblem(parameters);
    if (problem) throw new Error(`Argon2id ${problem}`);
  }

  hash(password: string): Promise<string> {
    const { memoryKiB, timeCost, parallelism } = this.parameters;
    return hash(password.normalize('NFC'), {
      algorithm: ARGON2ID,
      version: VERSION_19,
      memoryCost: memoryKiB,
      timeCost,
      parallelism,
      outputLen: KEY_LENGTH,
    });
  }

  async verify(password: string, stored: string): Promise<boolean> {
    if (isScryptHash(stored)) return verifyScrypt(password, stored);
    if (!argon2idParametersOf(stored)) return false;
    try {
      return await verify(stored, password.normalize('NFC'));
    } catch {
      return false;
    }
  }

  /** Whether `stored` is anything but an Argon2id hash made with this hasher's parameters. */
  needsRehash(stored: string): boolean {
    const made = argon2idParametersOf(stored);
    const { memoryKiB, timeCost, parallelism } = this.parameters;
    return !made || made.memoryKiB !== memoryKiB || made.timeCost !== timeCost || made.parallelism !== parallelism;
  }

  /** A hash of a random password with this hasher's parameters, made once. */
  dummyHash(): Promise<string> {
    this.dummy ??= this.hash(randomBytes(16).toString('hex'));
    return this.dummy;
  }
}
