import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PasswordHasher } from '../../src/forum/auth/password-hasher.js';
import { UserStore } from '../../src/forum/users/user.store.js';
import { postJson, registerAndLogin, uniqueNickname } from '../support/http-client.js';
import { startTestApp, TestApp } from '../support/test-app.js';
import { useChatApp } from '../support/chat-app.js';

const PASSWORD = 'correct horse battery';
const passwordHasher = new PasswordHasher();

describe('password hashes made with older scrypt parameters (the default cost, N=2^17)', () => {
  const server = useChatApp({ env: { AUTH_SCRYPT_COST: '17' } });

  it('new hashes carry N=2^17, r=8, p=1', async () => {
    const user = await registerAndLogin(server.baseUrl);
    const users = server.app.get<symbol, UserStore>(UserStore, { strict: false });
    expect((await users.findById(user.id))?.passwordHash).toMatch(/^scrypt\$131072\$8\$1\$/);
  });

  it('an N=2^15 hash still logs in, and that login replaces it with a current one', async () => {
    const user = await registerAndLogin(server.baseUrl);
    const users = server.app.get<symbol, UserStore>(UserStore, { strict: false });
    const current = (await users.findById(user.id))!.passwordHash;
    const old = await passwordHasher.hash(PASSWORD, { N: 1 << 15, r: 8, p: 1 });
    expect(await users.replacePasswordHash(user.id, current, old)).toBe(true);

    const login = await postJson(server.baseUrl, '/api/auth/login', { login: user.nickname, password: PASSWORD });
    expect(login.status).toBe(200);
    const upgraded = (await users.findById(user.id))!.passwordHash;
    expect(upgraded).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(passwordHasher.needsRehash(upgraded)).toBe(false);
    // the upgraded hash is of the same password: it logs in, a wrong one does not
    expect(
      (await postJson(server.baseUrl, '/api/auth/login', { login: user.nickname, password: PASSWORD })).status,
    ).toBe(200);
    expect(
      (await postJson(server.baseUrl, '/api/auth/login', { login: user.nickname, password: 'wrong guess' })).status,
    ).toBe(401);
  });

  it('a wrong password against an old hash is 401 and leaves the hash alone', async () => {
    const user = await registerAndLogin(server.baseUrl);
    const users = server.app.get<symbol, UserStore>(UserStore, { strict: false });
    const old = await passwordHasher.hash(PASSWORD, { N: 1 << 14, r: 8, p: 1 });
    await users.replacePasswordHash(user.id, (await users.findById(user.id))!.passwordHash, old);
    expect(
      (await postJson(server.baseUrl, '/api/auth/login', { login: user.nickname, password: 'wrong guess' })).status,
    ).toBe(401);
    expect((await users.findById(user.id))!.passwordHash).toBe(old);
  });
});

describe('the hashing bound (AUTH_HASH_CONCURRENCY=1, AUTH_HASH_QUEUE=1)', () => {
  let server: TestApp;
  let nickname: string;

  beforeAll(async () => {
    server = await startTestApp({
      AUTH_HASH_CONCURRENCY: '1',
      AUTH_HASH_QUEUE: '1',
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
