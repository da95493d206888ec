import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { defaultToPrincipal } from './chat-principal.js';
import { PrincipalMapper } from './principal-mapper.js';

const jwtWith = (claims: object) =>
  ['e30', Buffer.from(JSON.stringify(claims)).toString('base64url'), 'signature'].join('.');
const request = (headers: Record<string, string> = {}) => ({ headers }) as IncomingMessage;

function mapper(toPrincipal = defaultToPrincipal as never) {
  const warnings: string[] = [];
  let now = 1_000_000;
  const instance = new PrincipalMapper(
    'jwt',
    toPrincipal,
    { warn: (message: string) => warnings.push(message) },
    () => now,
  );
  return { instance, warnings, advance: (ms: number) => (now += ms) };
}

describe('PrincipalMapper', () => {
  it('takes a stock JWT strategy user through toPrincipal, with the expiry of the bearer token', () => {
    const { instance } = mapper(((user: { userId: number; username: string }) => ({
      id: user.userId,
      nickname: user.username,
    })) as never);
    const principal = instance.map(
      { userId: 4, username: 'maria' },
      request({ authorization: `Bearer ${jwtWith({ sub: 4, exp: 1_900_000_000 })}` }),
    );
    expect(principal).toEqual({ id: 4, nickname: 'maria', sessionKey: null, expiresAt: 1_900_000_000_000 });
  });

  it("keeps the principal's own expiry and session", () => {
    const { instance } = mapper();
    const user = { id: 1, nickname: 'ada', sessionKey: 's1', expiresAt: 5 };
    expect(instance.map(user, request({ authorization: `Bearer ${jwtWith({ exp: 9 })}` }))).toEqual(user);
  });

  it('refuses a user without id or nickname, warning once a minute with what is missing', () => {
    const { instance, warnings, advance } = mapper();
    expect(instance.map({ userId: 1, username: 'john' }, request())).toBeNull();
    expect(instance.map({ userId: 1, username: 'john' }, request())).toBeNull();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('lacks `id` (a positive integer) and `nickname` (a string)');
    expect(warnings[0]).toContain('the keys userId, username');
    expect(warnings[0]).toContain('"jwt"');
    advance(60_000);
    expect(instance.map({ id: 1 }, request())).toBeNull();
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toContain('lacks `nickname` (a string)');
  });
});
