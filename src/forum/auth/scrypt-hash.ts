import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt cost parameters of one hash. */
export interface ScryptParameters {
  N: number;
  r: number;
  p: number;
}

const KEY_LENGTH = 32;
/** Stored hashes asking for more memory than this are refused rather than computed (a corrupt or hostile row). */
const MAX_N_R = 1 << 21;
const MAX_P = 16;

/** scrypt needs 128·N·r·p bytes; the margin covers OpenSSL's own bookkeeping. */
const memoryFor = ({ N, r, p }: ScryptParameters) => 128 * N * r * p + 16 * 1024 * 1024;

function derive(password: string, salt: Buffer, parameters: ScryptParameters): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(
      password.normalize('NFC'),
      salt,
      KEY_LENGTH,
      { ...parameters, maxmem: memoryFor(parameters) },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );
}

interface ParsedScryptHash {
  parameters: ScryptParameters;
  salt: Buffer;
  key: Buffer;
}

/** Whether `stored` is in the scrypt format (`scrypt$N$r$p$salt$key`), well formed or not. */
export function isScryptHash(stored: string): boolean {
  return stored.startsWith('scrypt$');
}

function parse(stored: string): ParsedScryptHash | null {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  const parameters = { N: Number(n), r: Number(r), p: Number(p) };
  if (scheme !== 'scrypt' || !salt || !key) return null;
  if (![parameters.N, parameters.r, parameters.p].every((value) => Number.isSafeInteger(value) && value > 0))
    return null;
  if (parameters.N * parameters.r > MAX_N_R || parameters.p > MAX_P) return null;
  return { parameters, salt: Buffer.from(salt, 'base64url'), key: Buffer.from(key, 'base64url') };
}

/**
 * Checks `password` against a scrypt hash `scrypt$N$r$p$salt$key` (the format passwords
 * were stored in before Argon2id), off the event loop and in constant time. A malformed
 * hash, or one asking for more than N·r=2^21 or p=16 (a corrupt or hostile row), is false
 * without computing anything.
 */
export async function verifyScrypt(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const actual = await derive(password, parsed.salt, parsed.parameters);
  return actual.length === parsed.key.length && timingSafeEqual(actual, parsed.key);
}

/**
 * A scrypt hash of `password` in the stored format, with a random salt. New passwords are
 * hashed with Argon2id (`PasswordHasher`); this makes the hashes older rows still hold.
 */
export async function hashScrypt(password: string, parameters: ScryptParameters): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, parameters);
  const { N, r, p } = parameters;
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}
