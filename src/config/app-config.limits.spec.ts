import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './app-config.js';

describe('loadConfig: limits', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config.authRateLimits).toEqual({
      loginPerLogin: { rate: 1, perMs: 60_000, burst: 10 },
      loginPerIp: { rate: 30, perMs: 60_000, burst: 30 },
      registerPerIp: { rate: 5, perMs: 60_000, burst: 20 },
    });
    expect(config.adminToken).toBeNull();
  });

  it('reads every limit and `off`', () => {
    const config = loadConfig({
      CHAT_MAX_SOCKETS_PER_USER: '3',
      CHAT_HANDSHAKE_RATE_PER_IP: 'off',
      AUTH_LOGIN_RATE_PER_LOGIN: '3/1m',
      AUTH_LOGIN_RATE_PER_IP: 'off',
      AUTH_REGISTER_RATE_PER_IP: '2/10m,burst=4',
      ADMIN_TOKEN: 'x'.repeat(32),
    });
    expect(config.chat.maxSocketsPerUser).toBe(3);
    expect(config.chat.handshakeRatePerIp).toBe('off');
    expect(config.authRateLimits).toEqual({
      loginPerLogin: { rate: 3, perMs: 60_000, burst: 3 },
      loginPerIp: null,
      registerPerIp: { rate: 2, perMs: 600_000, burst: 4 },
    });
    expect(config.adminToken).toBe('x'.repeat(32));
  });

  it.each([
    ['CHAT_MAX_SOCKETS_PER_USER', '0'],
    ['CHAT_MAX_SOCKETS_PER_USER', 'many'],
    ['CHAT_HANDSHAKE_RATE_PER_IP', '10 per second'],
    ['AUTH_LOGIN_RATE_PER_LOGIN', '0/1m'],
    ['AUTH_REGISTER_RATE_PER_IP', '5/1h'],
    ['ADMIN_TOKEN', 'short'],
  ])('stops with a one-line message naming %s=%s', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(name);
    expect((error as Error).message).not.toContain('\n');
  });
});
