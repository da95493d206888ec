import { hash } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { ARGON2ID_LIMITS, OWASP_ARGON2ID } from './argon2id-parameters.js';
import { PasswordHasher } from './password-hasher.js';
import { hashScrypt } from './scrypt-hash.js';

const PASSWORD = 'correct horse battery';
const hasher = new PasswordHasher();

/** `stored` with its `m=…,t=…,p=…` replaced by `parameters`. */
const withParameters = (stored: string, parameters: string) => stored.replace(/m=\d+,t=\d+,p=\d+/, parameters);

describe('PasswordHasher', () => {
  it("hashes with Argon2id at OWASP's parameters (m=19456 KiB, t=2, p=1) and verifies only the same password", async () => {
    const stored = await hasher.hash(PASSWORD);
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await hasher.verify(PASSWORD, stored)).toBe(true);
    expect(await hasher.verify('correct horse batterY', stored)).toBe(false);
    expect(hasher.needsRehash(stored)).toBe(false);
    // two hashes of one password differ (random salt)
    expect(await hasher.hash(PASSWORD)).not.toBe(stored);
  });

  it('normalises the password to NFC: a composed and a decomposed "é" are the same password', async () => {
    const stored = await hasher.hash('caf\u00e9 au lait');
    expect(await hasher.verify('cafe\u0301 au lait', stored)).toBe(true);
  });

  it('verifies a former scrypt hash, and says it needs rehashing', async () => {
    const stored = await hashScrypt(PASSWORD, { N: 1 << 14, r: 8, p: 1 });
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await hasher.verify(PASSWORD, stored)).toBe(true);
    expect(await hasher.verify('wrong guess', stored)).toBe(false);
    expect(hasher.needsRehash(stored)).toBe(true);
  });

  it('says an Argon2id hash made with other parameters needs rehashing, and still verifies it', async () => {
    const stronger = new PasswordHasher({ memoryKiB: 47_104, timeCost: 1, parallelism: 1 });
    const stored = await stronger.hash(PASSWORD);
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=47104,t=1,p=1\$/);
    expect(stronger.needsRehash(stored)).toBe(false);
    expect(hasher.needsRehash(stored)).toBe(true);
    expect(await hasher.verify(PASSWORD, stored)).toBe(true);
  });

  it('refuses, without hashing, stored hashes that are malformed or ask for more than ARGON2ID_LIMITS', async () => {
    const stored = await hasher.hash(PASSWORD);
    const scrypt = await hashScrypt(PASSWORD, { N: 1 << 14, r: 8, p: 1 });
    const hostile = [
      '',
      'plaintext',
      stored.slice(0, -10),
      withParameters(stored, `m=${ARGON2ID_LIMITS.maxMemoryKiB * 16},t=2,p=1`),
      withParameters(stored, `m=19456,t=${ARGON2ID_LIMITS.maxTimeCost * 1000},p=1`),
      withParameters(stored, 'm=19456,t=2,p=200'),
      stored.replace('v=19', 'v=16'),
      scrypt.replace('$16384$', '$1073741824$'), // N=2^30: 1 TiB
      scrypt.replace('$8$1$', '$8$64$'),
      scrypt.replace('$16384$', '$-16384$'),
      'scrypt$16384$8$1$$',
    ];
    for (const value of hostile) {
      expect(await hasher.verify(PASSWORD, value), value).toBe(false);
      expect(hasher.needsRehash(value), value).toBe(true);
    }
  });

  it('refuses Argon2i and Argon2d hashes, even of the right password: only Argon2id is stored', async () => {
    for (const algorithm of [0, 1]) {
      const other = await hash(PASSWORD, { algorithm, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
      expect(other).toMatch(/^\$argon2[di]\$/);
      expect(await hasher.verify(PASSWORD, other)).toBe(false);
      expect(hasher.needsRehash(other)).toBe(true);
    }
  });

  it('makes one dummy hash, at its own parameters, that no password is known to match', async () => {
    const dummy = await hasher.dummyHash();
    expect(await hasher.dummyHash()).toBe(dummy);
    expect(hasher.needsRehash(dummy)).toBe(false);
    expect(await hasher.verify('', dummy)).toBe(false);
  });

  it("refuses parameters below OWASP's minimum or beyond the limits, naming the parameter", () => {
    expect(() => new PasswordHasher({ ...OWASP_ARGON2ID, memoryKiB: 12_288 })).toThrow(/memoryKiB must be .*19456/);
    expect(() => new PasswordHasher({ ...OWASP_ARGON2ID, memoryKiB: 12_288, timeCost: 3 })).not.toThrow();
    expect(() => new PasswordHasher({ ...OWASP_ARGON2ID, memoryKiB: 19_456, timeCost: 1 })).toThrow(/memoryKiB/);
    expect(() => new PasswordHasher({ ...OWASP_ARGON2ID, timeCost: 0 })).toThrow(/timeCost/);
    expect(() => new PasswordHasher({ ...OWASP_ARGON2ID, parallelism: 0 })).toThrow(/parallelism/);
    expect(() => new PasswordHasher({ ...OWASP_ARGON2ID, memoryKiB: ARGON2ID_LIMITS.maxMemoryKiB + 1 })).toThrow(
      /memoryKiB/,
    );
  });
});
