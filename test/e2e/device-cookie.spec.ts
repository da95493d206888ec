import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson, uniqueNickname } from '../support/http-client.js';
import { startTestApp, TestApp } from '../support/test-app.js';

const PASSWORD = 'correct horse battery';

/** POST /api/auth/login with an optional cookie header; answers the status and each Set-Cookie line. */
async function attempt(server: TestApp, login: string, password: string, cookie?: string) {
  const response = await fetch(`${server.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ login, password }),
  });
  await response.arrayBuffer();
  return { status: response.status, setCookies: response.headers.getSetCookie() };
}

/** The value the Set-Cookie lines set for `name` (not a clearing one), or undefined. */
function cookieValue(setCookies: string[], name: string): string | undefined {
  const line = setCookies.find((l) => l.startsWith(`${name}=`) && !l.startsWith(`${name}=;`));
  return line ? line.slice(name.length + 1).split(';')[0] : undefined;
}

async function register(server: TestApp): Promise<string> {
  const nickname = uniqueNickname('device');
  expect((await postJson(server.baseUrl, '/api/auth/register', { nickname, password: PASSWORD })).status).toBe(201);
  return nickname;
}

/** Spends the account's login bucket (burst 2 here) with wrong passwords until a login is refused with 429. */
async function lockOut(server: TestApp, nickname: string): Promise<void> {
  for (let i = 0; i < 3; i++) if ((await attempt(server, nickname, 'wrong guess')).status === 429) return;
  throw new Error('the account was not locked');
}

describe('device cookie (AUTH_LOGIN_RATE_PER_LOGIN=1/1m,burst=2)', () => {
  let server: TestApp;

  beforeAll(async () => {
    server = await startTestApp({ AUTH_LOGIN_RATE_PER_LOGIN: '1/1m,burst=2', AUTH_LOGIN_RATE_PER_IP: 'off' });
  });
  afterAll(() => server.close());

  it('is set by a successful login: HttpOnly, SameSite=Strict, Path=/, long-lived, not Secure over plain HTTP', async () => {
    const nickname = await register(server);
    const { status, setCookies } = await attempt(server, nickname, PASSWORD);
    expect(status).toBe(200);
    const line = setCookies.find((l) => l.startsWith('device='))!;
    expect(line).toMatch(/; HttpOnly/);
    expect(line).toMatch(/; SameSite=Strict/);
    expect(line).toMatch(/; Path=\//);
    expect(Number(/Max-Age=(\d+)/.exec(line)?.[1])).toBeGreaterThan(30 * 24 * 3600);
    expect(line).not.toMatch(/Secure/);
    expect(line).not.toMatch(/Domain/);
    // a failed login sets none
    expect(cookieValue((await attempt(server, nickname, 'wrong guess')).setCookies, 'device')).toBeUndefined();
  });

  it('lets its owner in while the account is locked for everyone else, and renews itself', async () => {
    const nickname = await register(server);
    const device = cookieValue((await attempt(server, nickname, PASSWORD)).setCookies, 'device')!;
    await lockOut(server, nickname);
    expect((await attempt(server, nickname, PASSWORD)).status).toBe(429);
    const known = await attempt(server, nickname, PASSWORD, `device=${device}`);
    expect(known.status).toBe(200);
    const renewed = cookieValue(known.setCookies, 'device');
    expect(renewed).toBeDefined();
    expect(renewed).not.toBe(device);
    expect((await attempt(server, nickname, PASSWORD, `device=${renewed}`)).status).toBe(200);
  });

  it('is worth nothing when altered, or presented for another account', async () => {
    const alice = await register(server);
    const bob = await register(server);
    const aliceDevice = cookieValue((await attempt(server, alice, PASSWORD)).setCookies, 'device')!;
    const bobDevice = cookieValue((await attempt(server, bob, PASSWORD)).setCookies, 'device')!;
    await lockOut(server, alice);
    const parts = aliceDevice.split('.');
    const flip = (text: string) => (text[0] === 'A' ? 'B' : 'A') + text.slice(1);
    const tampered = [
      [parts[0], parts[1], parts[2], parts[3], flip(parts[4])].join('.'), // signature changed
      [parts[0], parts[1], String(Number(parts[2]) + 1), parts[3], parts[4]].join('.'), // issue time changed
      [parts[0], parts[1], parts[2], flip(parts[3]), parts[4]].join('.'), // device id changed
      `${aliceDevice}x`,
    ];
    for (const value of tampered) expect((await attempt(server, alice, PASSWORD, `device=${value}`)).status).toBe(429);
    // bob's own, valid device cookie does not open alice's account
    expect((await attempt(server, alice, PASSWORD, `device=${bobDevice}`)).status).toBe(429);
    // alice's does
    expect((await attempt(server, alice, PASSWORD, `device=${aliceDevice}`)).status).toBe(200);
  });

  it("has a login bucket of its own: a device's wrong guesses lock that device, not the account", async () => {
    const nickname = await register(server);
    const device = cookieValue((await attempt(server, nickname, PASSWORD)).setCookies, 'device')!;
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await attempt(server, nickname, 'wrong', `device=${device}`)).status);
    expect(statuses).toEqual([401, 401, 429]);
    // the account's own bucket still has its token left (burst 2, one login so far)
    expect((await attempt(server, nickname, PASSWORD)).status).toBe(200);
  });
});

describe('device cookie behind TLS (COOKIE_SECURE=true)', () => {
  let server: TestApp;

  beforeAll(async () => {
    server = await startTestApp({
      COOKIE_SECURE: 'true',
      AUTH_LOGIN_RATE_PER_LOGIN: '1/1m,burst=2',
      AUTH_LOGIN_RATE_PER_IP: 'off',
    });
  });
  afterAll(() => server.close());

  it('is __Host-device with Secure and Path=/, no Domain, and clears a device cookie of the plain name', async () => {
    const nickname = await register(server);
    const { setCookies } = await attempt(server, nickname, PASSWORD);
    const line = setCookies.find((l) => l.startsWith('__Host-device=') && !l.startsWith('__Host-device=;'))!;
    expect(line).toMatch(/; Secure/);
    expect(line).toMatch(/; Path=\//);
    expect(line).toMatch(/; HttpOnly/);
    expect(line).not.toMatch(/Domain/);
    const cleared = setCookies.find((l) => l.startsWith('device=;'))!;
    expect(cleared).toMatch(/Expires=Thu, 01 Jan 1970/);
    // honoured under its prefixed name while the account is locked
    const device = cookieValue(setCookies, '__Host-device')!;
    await lockOut(server, nickname);
    expect((await attempt(server, nickname, PASSWORD)).status).toBe(429);
    expect((await attempt(server, nickname, PASSWORD, `__Host-device=${device}`)).status).toBe(200);
  });
});
