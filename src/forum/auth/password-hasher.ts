import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt cost parameters: N=2^15, r=8, p=1 (≈32 MiB, tens of ms per hash). */
const N = 1 << 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const MAX_MEMORY = 64 * 1024 * 1024;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { N: n, r, p, maxmem: MAX_MEMORY }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/**
 * Password hashing with scrypt (Node's OpenSSL implementation), off the event loop.
 * Hashes are self-describing (`scrypt$N$r$p$salt$key`), so the cost can be raised later
 * without invalidating stored hashes; verification is constant-time.
 */
export const passwordHasher = {
  async hash(password: string): Promise<string> {
    const salt = randomBytes(16);
    const key = await derive(password, salt, N, R, P);
    return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
  },

  async verify(password: string, stored: string): Promise<boolean> {
    const [scheme, n, r, p, salt, key] = stored.split('$');
    if (scheme !== 'scrypt' || !key) return false;
    const expected = Buffer.from(key, 'base64url');
    const actual = await derive(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  },
};

let dummyHash: Promise<string> | undefined;

/**
 * A hash of a random password, made once: verifying an unknown login against it costs
 * what a real check costs, so response times do not reveal which logins exist.
 */
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= passwordHasher.hash(randomBytes(16).toString('hex'));
  return dummyHash;
}
