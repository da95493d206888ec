import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** scrypt cost parameters of one hash. */
export interface ScryptParameters {
  N: number;
  r: number;
  p: number;
}

/** OWASP's first choice for scrypt: N=2^17, r=8, p=1 (128 MiB, a few hundred ms per hash). */
export const OWASP_SCRYPT: ScryptParameters = { N: 1 << 17, r: 8, p: 1 };

const KEY_LENGTH = 32;
/** Stored hashes asking for more memory than this are refused rather than computed (a corrupt or hostile row). */
const MAX_N_R = 1 << 21;

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

interface ParsedHash {
  parameters: ScryptParameters;
  salt: Buffer;
  key: Buffer;
}

function parse(stored: string): ParsedHash | null {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  const parameters = { N: Number(n), r: Number(r), p: Number(p) };
  if (scheme !== 'scrypt' || !salt || !key) return null;
  if (![parameters.N, parameters.r, parameters.p].every((value) => Number.isSafeInteger(value) && value > 0))
    return null;
  if (parameters.N * parameters.r > MAX_N_R || parameters.p > 16) return null;
  return { parameters, salt: Buffer.from(salt, 'base64url'), key: Buffer.from(key, 'base64url') };
}

/**
 * Password hashing with scrypt (Node's OpenSSL implementation), off the event loop.
 * Hashes carry their parameters (`scrypt$N$r$p$salt$key`): a hash made with other
 * parameters still verifies, and `needsRehash` says it should be replaced by one made
 * with this hasher's. Verification is constant-time; an unknown login is checked against
 * a dummy hash of the same cost, so timing does not reveal which logins exist.
 */
export class PasswordHasher {
  private dummy: Promise<string> | undefined;

  constructor(readonly parameters: ScryptParameters = OWASP_SCRYPT) {}

  async hash(password: string, parameters: ScryptParameters = this.parameters): Promise<string> {
    const salt = randomBytes(16);
    const key = await derive(password, salt, parameters);
    const { N, r, p } = parameters;
    return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const parsed = parse(stored);
    if (!parsed) return false;
    const actual = await derive(password, parsed.salt, parsed.parameters);
    return actual.length === parsed.key.length && timingSafeEqual(actual, parsed.key);
  }

  /** Whether `stored` was made with parameters other than this hasher's. */
  needsRehash(stored: string): boolean {
    const made = parse(stored)?.parameters;
    const { N, r, p } = this.parameters;
    return !made || made.N !== N || made.r !== r || made.p !== p;
  }

  /** A hash of a random password with this hasher's parameters, made once. */
  dummyHash(): Promise<string> {
    this.dummy ??= this.hash(randomBytes(16).toString('hex'));
    return this.dummy;
  }
}
