import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson } from '../support/http-client.js';
import { startTestApp, TestApp } from '../support/test-app.js';

const PASSWORD = 'correct horse battery';

describe('registering a nickname that looks like a registered one', () => {
  let server: TestApp;
  const register = (nickname: string) =>
    postJson(server.baseUrl, '/api/auth/register', { nickname, password: PASSWORD });

  beforeAll(async () => {
    server = await startTestApp({ AUTH_REGISTER_RATE_PER_IP: 'off' });
    expect((await register('alice')).status).toBe(201);
  });
  afterAll(() => server.close());

  it.each(['aIice', 'AIice', 'a1ice'])(
    '%s is refused with 409 saying it looks like a registered nickname',
    async (name) => {
      const answer = await register(name);
      expect(answer.status).toBe(409);
      expect(answer.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
      expect(answer.body.message).toBe(`nickname "${name}" looks too much like a registered one; choose another`);
      expect((await postJson(server.baseUrl, '/api/auth/login', { login: name, password: PASSWORD })).status).toBe(401);
    },
  );

  it('the same nickname in another case is "already taken", and a different-looking one registers', async () => {
    const again = await register('ALICE');
    expect(again.status).toBe(409);
    expect(again.body.message).toBe('nickname or email already taken');
    expect((await register('alicia')).status).toBe(201);
  });
});
