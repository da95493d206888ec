import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login, postJson, TestUser, uniqueNickname } from '../support/http-client.js';
import { tryHandshake } from '../support/handshake.js';
import { startTestApp, TestApp } from '../support/test-app.js';
import { useChatApp } from '../support/chat-app.js';
import { TestSocket } from '../support/ws-client.js';

describe('HTTP hygiene', () => {
  const server = useChatApp({ users: 1 });
  let alice: TestUser;
  beforeAll(() => void ([alice] = server.users));

  const raw = (path: string, init: RequestInit) => fetch(`${server.baseUrl}${path}`, init);

  it('sends security headers (helmet) and no X-Powered-By', async () => {
    const response = await raw('/api/auth/me', { headers: { cookie: alice.cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('x-powered-by')).toBeNull();
    // plain HTTP deployment (COOKIE_SECURE unset): no HSTS
    expect(response.headers.get('strict-transport-security')).toBeNull();
  });

  it('refuses bodies that are not JSON with 415, in Nest error shape', async () => {
    for (const [type, body] of [
      ['text/plain', '{"login":"a","password":"b"}'],
      ['application/x-www-form-urlencoded', 'login=a&password=b'],
      ['multipart/form-data; boundary=x', '--x--'],
    ]) {
      const response = await raw('/api/auth/login', { method: 'POST', headers: { 'content-type': type }, body });
      expect(response.status).toBe(415);
      expect(await response.json()).toEqual({
        statusCode: 415,
        error: 'Unsupported Media Type',
        message: expect.any(String),
      });
    }
  });

  it('refuses a body over 16 kB with 413 and malformed JSON with 400, never with a stack trace', async () => {
    const big = await raw('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'x'.repeat(17_000), password: 'y' }),
    });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ statusCode: 413 });
    const bad = await raw('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"login":',
    });
    const text = await bad.text();
    expect(bad.status).toBe(400);
    expect(JSON.parse(text)).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect(text).not.toMatch(/at .*\.js|node_modules/);
  });

  it('refuses a state-changing request from a foreign Origin with 403 even with a valid cookie', async () => {
    const session = await login(server.baseUrl, alice.nickname, alice.password);
    const crossSite = await postJson(server.baseUrl, '/api/auth/logout', undefined, {
      cookie: session.cookie,
      origin: 'https://evil.example',
    });
    expect(crossSite.status).toBe(403);
    expect(crossSite.body).toMatchObject({ statusCode: 403, error: 'Forbidden' });
    // the session survived
    expect((await raw('/api/auth/me', { headers: { cookie: session.cookie } })).status).toBe(200);
    const registered = await postJson(
      server.baseUrl,
      '/api/auth/register',
      { nickname: uniqueNickname('csrf'), password: 'correct horse' },
      { origin: 'https://evil.example' },
    );
    expect(registered.status).toBe(403);
    // same origin (and no Origin at all) pass
    const sameSite = await postJson(server.baseUrl, '/api/auth/logout', undefined, {
      cookie: session.cookie,
      origin: server.baseUrl,
    });
    expect(sameSite.status).toBe(204);
  });

  it('refuses the WebSocket handshake from a foreign Origin with 403 even with a valid cookie', async () => {
    const crossSite = await tryHandshake(server.wsUrl, { cookie: alice.cookie, origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    const sameSite = await tryHandshake(server.wsUrl, { cookie: alice.cookie, origin: server.baseUrl });
    expect(sameSite.status).toBe(101);
    sameSite.ws?.terminate();
  });

  it('reads (GET) are not subject to the Origin rule', async () => {
    const response = await raw('/api/auth/me', { headers: { cookie: alice.cookie, origin: 'https://evil.example' } });
    expect(response.status).toBe(200);
  });
});

describe('HTTP hygiene behind TLS (COOKIE_SECURE=true)', () => {
  const server = useChatApp({ env: { COOKIE_SECURE: 'true' } });

  it('sets the Secure flag on the session cookie and sends HSTS', async () => {
    const nickname = uniqueNickname('tls');
    await postJson(server.baseUrl, '/api/auth/register', { nickname, password: 'correct horse battery' });
    const answer = await postJson(server.baseUrl, '/api/auth/login', {
      login: nickname,
      password: 'correct horse battery',
    });
    expect(answer.status).toBe(200);
    const cookie = answer.headers.getSetCookie().find((c) => c.startsWith('__Host-session_id=')) ?? '';
    expect(cookie).toMatch(/^__Host-session_id=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/;\s*Secure/i);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    expect(cookie).toMatch(/;\s*Path=\/(;|$)/);
    expect(cookie).not.toMatch(/;\s*Domain=/i);
    expect(answer.headers.get('strict-transport-security')).toContain('max-age=');
  });

  it('the __Host- cookie opens the API and the chat socket; session_id is still accepted and cleared at the next login', async () => {
    const nickname = uniqueNickname('host');
    const password = 'correct horse battery';
    await postJson(server.baseUrl, '/api/auth/register', { nickname, password });
    const first = await postJson(server.baseUrl, '/api/auth/login', { login: nickname, password });
    const token = /^__Host-session_id=([^;]+)/.exec(first.headers.getSetCookie().join('\n'))?.[1];
    expect(token).toBeDefined();
    const me = (cookie: string) => fetch(`${server.baseUrl}/api/auth/me`, { headers: { cookie } });
    expect((await me(`__Host-session_id=${token}`)).status).toBe(200);
    const socket = await TestSocket.connect(server.wsUrl, `__Host-session_id=${token}`);
    await socket.close();
    // a cookie set under the former name, before the prefix, keeps working during the transition
    expect((await me(`session_id=${token}`)).status).toBe(200);
    const second = await postJson(server.baseUrl, '/api/auth/login', { login: nickname, password });
    const cleared = second.headers.getSetCookie().find((c) => c.startsWith('session_id='));
    expect(cleared).toMatch(/^session_id=;.*Expires=Thu, 01 Jan 1970/);
  });
});

describe('the session cookie over plain HTTP (COOKIE_SECURE unset)', () => {
  const server = useChatApp();

  it('is named session_id, without Secure', async () => {
    const nickname = uniqueNickname('plain');
    await postJson(server.baseUrl, '/api/auth/register', { nickname, password: 'correct horse battery' });
    const answer = await postJson(server.baseUrl, '/api/auth/login', {
      login: nickname,
      password: 'correct horse battery',
    });
    expect(answer.headers.getSetCookie()).toEqual([
      expect.stringMatching(/^session_id=[A-Za-z0-9_-]{43};/),
      expect.stringMatching(/^device=v1\./),
    ]);
    expect(answer.headers.getSetCookie().join('\n')).not.toMatch(/Secure/i);
  });
});
