import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, registerAndLogin, TestUser, uniqueNickname } from '../support/http-client.js';
import { startTestApp, TestApp } from '../support/test-app.js';
import { useChatApp } from '../support/chat-app.js';

const PASSWORD = 'correct horse battery';

describe('login attempts per login name (AUTH_LOGIN_RATE_PER_LOGIN=1/1m,burst=3)', () => {
  let server: TestApp;
  let alice: string;
  let bob: TestUser;

  beforeAll(async () => {
    server = await startTestApp({ AUTH_LOGIN_RATE_PER_LOGIN: '1/1m,burst=3', AUTH_LOGIN_RATE_PER_IP: 'off' });
    alice = uniqueNickname('victim');
    expect((await postJson(server.baseUrl, '/api/auth/register', { nickname: alice, password: PASSWORD })).status).toBe(
      201,
    );
    bob = await registerAndLogin(server.baseUrl);
  });
  afterAll(() => server.close());

  it('answers 401 to exactly 3 wrong guesses, then 429 with Retry-After — even for the right password', async () => {
    const attempt = (login: string, password: string) =>
      postJson(server.baseUrl, '/api/auth/login', { login, password });
    const statuses = [];
    for (const name of [alice, alice.toUpperCase(), ` ${alice}`])
      statuses.push((await attempt(name, 'wrong guess')).status);
    const refused = await attempt(alice, PASSWORD); // the limit is per login name, case- and space-insensitive
    expect(statuses).toEqual([401, 401, 401]);
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(refused.headers.get('set-cookie')).toBeNull();
    // another account from the same address is not affected
    expect((await attempt(bob.nickname, PASSWORD)).status).toBe(200);
  });
});

describe('one bucket per account, whichever name is typed (AUTH_LOGIN_RATE_PER_LOGIN=1/1m,burst=3)', () => {
  let server: TestApp;

  beforeAll(async () => {
    server = await startTestApp({ AUTH_LOGIN_RATE_PER_LOGIN: '1/1m,burst=3', AUTH_LOGIN_RATE_PER_IP: 'off' });
  });
  afterAll(() => server.close());

  const attempt = (login: string, password: string) => postJson(server.baseUrl, '/api/auth/login', { login, password });

  it('guesses by nickname and by e-mail drain the same bucket: the next attempt by either is 429', async () => {
    const nickname = uniqueNickname('both');
    const email = `${nickname}@example.org`;
    expect((await postJson(server.baseUrl, '/api/auth/register', { nickname, email, password: PASSWORD })).status).toBe(
      201,
    );
    const statuses = [];
    for (const name of [nickname, email.toUpperCase(), ` ${email}`])
      statuses.push((await attempt(name, 'wrong guess')).status);
    expect(statuses).toEqual([401, 401, 401]);
    expect((await attempt(email, PASSWORD)).status).toBe(429);
    expect((await attempt(nickname.toUpperCase(), PASSWORD)).status).toBe(429);
  });

  it('a dotted capital İ (U+0130) is not a second spelling of i: it neither logs in nor gets the account a fresh bucket', async () => {
    const nickname = uniqueNickname('tinyiii');
    expect((await postJson(server.baseUrl, '/api/auth/register', { nickname, password: PASSWORD })).status).toBe(201);
    const dotted = nickname.replace('i', '\u0130');
    for (let i = 0; i < 3; i++) expect((await attempt(nickname, 'wrong guess')).status).toBe(401);
    // the account's bucket is empty; the look-alike spelling is no way around it
    const sidestep = await attempt(dotted, PASSWORD);
    expect(sidestep.status).toBe(401);
    expect(sidestep.headers.get('set-cookie')).toBeNull();
    expect((await attempt(nickname, PASSWORD)).status).toBe(429);
  });

  it('unknown names get buckets of their own, keyed by the folded name', async () => {
    const ghost = uniqueNickname('ghost');
    const statuses = [];
    for (const name of [ghost, ghost.toUpperCase(), ` ${ghost} `, ghost])
      statuses.push((await attempt(name, 'x')).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});

describe('login attempts per address (AUTH_LOGIN_RATE_PER_IP=1/1m,burst=4)', () => {
  const server = useChatApp({ env: { AUTH_LOGIN_RATE_PER_IP: '1/1m,burst=4' } });

  it('4 attempts on different names pass, the 5th gets 429 with Retry-After', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      const answer = await postJson(server.baseUrl, '/api/auth/login', {
        login: uniqueNickname('spray'),
        password: 'whatever1',
      });
      statuses.push(answer.status);
      if (answer.status === 429) expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
  });

  it('a malformed body is refused (400) before it is counted', async () => {
    const plain = await startTestApp({ AUTH_LOGIN_RATE_PER_IP: '1/1m,burst=1' });
    try {
      for (let i = 0; i < 3; i++)
        expect((await postJson(plain.baseUrl, '/api/auth/login', { login: 5 })).status).toBe(400);
      expect(
        (await postJson(plain.baseUrl, '/api/auth/login', { login: 'nobody', password: 'whatever1' })).status,
      ).toBe(401);
    } finally {
      await plain.close();
    }
  });
});

describe('registrations per address (AUTH_REGISTER_RATE_PER_IP=1/1m,burst=2)', () => {
  const server = useChatApp({ env: { AUTH_REGISTER_RATE_PER_IP: '1/1m,burst=2' } });

  it('2 registrations pass, the 3rd gets 429 with Retry-After and creates no user', async () => {
    const names = [uniqueNickname('reg'), uniqueNickname('reg'), uniqueNickname('reg')];
    const answers = [];
    for (const nickname of names)
      answers.push(await postJson(server.baseUrl, '/api/auth/register', { nickname, password: PASSWORD }));
    expect(answers.map((a) => a.status)).toEqual([201, 201, 429]);
    expect(Number(answers[2].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await postJson(server.baseUrl, '/api/auth/login', { login: names[2], password: PASSWORD })).status).toBe(
      401,
    );
  });
});
