import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PasswordHasher } from '../../src/forum/auth/password-hasher.js';
import { hashScrypt } from '../../src/forum/auth/scrypt-hash.js';
import { UserStore } from '../../src/forum/users/user.store.js';
import { postJson, registerAndLogin, uniqueNickname } from '../support/http-client.js';
import {
  describeWithServices,
  dropSchema,
  postgresUrlFor,
  requireServices,
  testNamespace,
} from '../support/services.js';
import { startTestApp, TestApp } from '../support/test-app.js';
import { useChatApp } from '../support/chat-app.js';

const PASSWORD = 'correct horse battery';
const passwordHasher = new PasswordHasher();
/** The former format's parameters, cheaper than the N=2^17 production rows held (same code path). */
const FORMER_SCRYPT = { N: 1 << 14, r: 8, p: 1 };
const postgres = await requireServices('postgres');

const usersOf = (server: TestApp) => server.app.get<symbol, UserStore>(UserStore, { strict: false });

/** Registers a user through HTTP, then stores `hash` as its password hash, as an older row would hold. */
async function userStoredWith(server: TestApp, hash: string) {
  const user = await registerAndLogin(server.baseUrl);
  const users = usersOf(server);
  expect(await users.replacePasswordHash(user.id, (await users.findById(user.id))!.passwordHash, hash)).toBe(true);
  return user;
}

const loginStatus = async (server: TestApp, login: string, password: string) =>
  (await postJson(server.baseUrl, '/api/auth/login', { login, password })).status;

/** A user stored with a scrypt hash logs in over HTTP, and that login stores an Argon2id hash of the same password. */
async function scryptUserIsUpgradedAtLogin(server: TestApp): Promise<void> {
  const user = await userStoredWith(server, await hashScrypt(PASSWORD, FORMER_SCRYPT));
  expect(await loginStatus(server, user.nickname, PASSWORD)).toBe(200);
  const upgraded = (await usersOf(server).findById(user.id))!.passwordHash;
  expect(upgraded).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  expect(passwordHasher.needsRehash(upgraded)).toBe(false);
  // the upgraded hash is of the same password: it logs in, a wrong one does not
  expect(await loginStatus(server, user.nickname, PASSWORD)).toBe(200);
  expect(await loginStatus(server, user.nickname, 'wrong guess')).toBe(401);
}

describe('password hashes: Argon2id, former scrypt hashes replaced at their next login', () => {
  const server = useChatApp();

  it("new hashes are Argon2id at OWASP's parameters (m=19456 KiB, t=2, p=1)", async () => {
    const user = await registerAndLogin(server.baseUrl);
    expect((await usersOf(server).findById(user.id))?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('an account stored with a scrypt hash logs in, and that login replaces it with an Argon2id one', async () => {
    await scryptUserIsUpgradedAtLogin(server);
  });

  it('a wrong password against a scrypt hash is 401 and leaves the hash alone', async () => {
    const old = await hashScrypt(PASSWORD, FORMER_SCRYPT);
    const user = await userStoredWith(server, old);
    expect(await loginStatus(server, user.nickname, 'wrong guess')).toBe(401);
    expect((await usersOf(server).findById(user.id))!.passwordHash).toBe(old);
  });
});

describe("AUTH_ARGON2_MEMORY_KIB=47104, AUTH_ARGON2_TIME_COST=1 (another of OWASP's configurations)", () => {
  const server = useChatApp({ env: { AUTH_ARGON2_MEMORY_KIB: '47104', AUTH_ARGON2_TIME_COST: '1' } });

  it('new hashes carry them, and a hash made with the defaults is replaced at its next login', async () => {
    const user = await registerAndLogin(server.baseUrl);
    expect((await usersOf(server).findById(user.id))!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=47104,t=1,p=1\$/);
    const earlier = await userStoredWith(server, await passwordHasher.hash(PASSWORD));
    expect(await loginStatus(server, earlier.nickname, PASSWORD)).toBe(200);
    expect((await usersOf(server).findById(earlier.id))!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=47104,t=1,p=1\$/);
  });
});

describeWithServices(postgres, 'a scrypt hash stored in PostgreSQL', () => {
  const schema = testNamespace();
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp({ DATABASE_URL: postgresUrlFor(schema) });
  });
  afterAll(async () => {
    await server?.close();
    await dropSchema(schema);
  });

  it('logs in, and that login replaces it with an Argon2id one', async () => {
    await scryptUserIsUpgradedAtLogin(server);
  });
});

describe('the hashing bound (AUTH_HASH_CONCURRENCY=1, AUTH_HASH_QUEUE=1)', () => {
  // hashes of 8 passes (a few hundred ms on a busy machine), so every request arrives while the first still runs
  let server: TestApp;
  let nickname: string;

  beforeAll(async () => {
    server = await startTestApp({
      AUTH_HASH_CONCURRENCY: '1',
      AUTH_HASH_QUEUE: '1',
      AUTH_ARGON2_TIME_COST: '8',
      AUTH_LOGIN_RATE_PER_IP: 'off',
      AUTH_LOGIN_RATE_PER_LOGIN: 'off',
    });
    nickname = uniqueNickname('hashing');
    expect((await postJson(server.baseUrl, '/api/auth/register', { nickname, password: PASSWORD })).status).toBe(201);
  });
  afterAll(() => server.close());

  it('8 concurrent logins: one hashes, one waits, the others get 503 with Retry-After and no cookie', async () => {
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        postJson(server.baseUrl, '/api/auth/login', { login: nickname, password: PASSWORD }),
      ),
    );
    const statuses = answers.map((answer) => answer.status);
    const refused = answers.filter((answer) => answer.status === 503);
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((status) => status !== 200 && status !== 503)).toEqual([]);
    expect(refused.length).toBeGreaterThanOrEqual(4);
    for (const answer of refused) {
      expect(answer.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(answer.headers.get('set-cookie')).toBeNull();
    }
    // once the flood has passed, logins are answered again
    expect((await postJson(server.baseUrl, '/api/auth/login', { login: nickname, password: PASSWORD })).status).toBe(
      200,
    );
  });

  it('registrations share the bound: beyond it 503, and the refused nickname is not taken', async () => {
    const names = Array.from({ length: 8 }, () => uniqueNickname('crowd'));
    const answers = await Promise.all(
      names.map((name) => postJson(server.baseUrl, '/api/auth/register', { nickname: name, password: PASSWORD })),
    );
    const refusedIndex = answers.findIndex((answer) => answer.status === 503);
    expect(refusedIndex).toBeGreaterThanOrEqual(0);
    expect(answers.every((answer) => answer.status === 201 || answer.status === 503)).toBe(true);
    expect(
      (await postJson(server.baseUrl, '/api/auth/register', { nickname: names[refusedIndex], password: PASSWORD }))
        .status,
    ).toBe(201);
  });
});
