import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './app-config.js';
import { parseRateLimit } from '../chat/index.js';

describe('loadConfig', () => {
  it('leaves the chat options the environment does not set to the module defaults', () => {
    expect(loadConfig({})).toEqual({
      port: 8080,
      chat: { databaseUrl: 'sqlite:./data/chat.db', redisUrl: null, redisKeyPrefix: 'forum-chat:' },
      sessionTtlSeconds: 86_400,
      cookieSecure: false,
      authRateLimits: {
        loginPerLogin: { rate: 1, perMs: 60_000, burst: 10 },
        loginPerIp: { rate: 30, perMs: 60_000, burst: 30 },
        registerPerIp: { rate: 5, perMs: 60_000, burst: 20 },
      },
      passwordHashing: {
        concurrency: Math.max(1, Math.floor(availableParallelism() / 2)),
        queue: 16,
        maxWaitMs: 5_000,
        perClient: 4,
      },
      argon2id: { memoryKiB: 19_456, timeCost: 2, parallelism: 1 },
      adminToken: null,
      deviceSecret: null,
    });
  });

  it('reads the password-hashing bound and cost', () => {
    expect(
      loadConfig({
        AUTH_HASH_CONCURRENCY: '1',
        AUTH_HASH_QUEUE: '0',
        AUTH_HASH_WAIT_MS: '250',
        AUTH_HASH_PER_CLIENT: '3',
        AUTH_DEVICE_SECRET: 'd'.repeat(32),
        AUTH_ARGON2_MEMORY_KIB: '47104',
        AUTH_ARGON2_TIME_COST: '1',
      }),
    ).toMatchObject({
      passwordHashing: { concurrency: 1, queue: 0, maxWaitMs: 250, perClient: 3 },
      deviceSecret: 'd'.repeat(32),
      argon2id: { memoryKiB: 47_104, timeCost: 1, parallelism: 1 },
    });
  });

  it('builds the chat module options from the CHAT_* variables', () => {
    expect(
      loadConfig({
        CHAT_MAX_FRAME_BYTES: '16384',
        CHAT_PING_INTERVAL_MS: '100',
        CHAT_PONG_TIMEOUT_MS: '400',
        CHAT_RATE_LIMIT: '3/1s,burst=4',
        CHAT_PRESENCE_TTL_MS: '3000',
      }).chat,
    ).toMatchObject({
      maxFrameBytes: 16384,
      pingIntervalMs: 100,
      pongTimeoutMs: 400,
      rateLimit: '3/1s,burst=4',
      presenceTtlMs: 3000,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '9000',
      CHAT_ALLOWED_ORIGINS: 'https://a.example, https://b.example',
      CHAT_RATE_LIMIT: 'off',
      REDIS_URL: 'redis://127.0.0.1:6379',
      COOKIE_SECURE: 'true',
    });
    expect(config).toMatchObject({
      port: 9000,
      chat: {
        allowedOrigins: ['https://a.example', 'https://b.example'],
        rateLimit: 'off',
        redisUrl: 'redis://127.0.0.1:6379',
      },
      cookieSecure: true,
    });
  });

  it.each([
    [{ PORT: '70000' }, 'PORT'],
    [{ PORT: '8080.5' }, 'PORT'],
    [{ SESSION_TTL_SECONDS: '0' }, 'SESSION_TTL_SECONDS'],
    [{ REDIS_URL: 'localhost' }, 'REDIS_URL'],
    [{ CHAT_SEND_QUEUE_LIMIT: 'many' }, 'CHAT_SEND_QUEUE_LIMIT'],
    [{ CHAT_PING_INTERVAL_MS: '5000', CHAT_PONG_TIMEOUT_MS: '5000' }, 'CHAT_PONG_TIMEOUT_MS'],
    [{ COOKIE_SECURE: 'yes' }, 'COOKIE_SECURE'],
    [{ AUTH_HASH_CONCURRENCY: '0' }, 'AUTH_HASH_CONCURRENCY'],
    [{ AUTH_HASH_PER_CLIENT: '0' }, 'AUTH_HASH_PER_CLIENT'],
    [{ AUTH_DEVICE_SECRET: 'short' }, 'AUTH_DEVICE_SECRET'],
    [{ AUTH_ARGON2_MEMORY_KIB: '4096' }, 'AUTH_ARGON2_MEMORY_KIB'],
    [{ AUTH_ARGON2_MEMORY_KIB: '1048576' }, 'AUTH_ARGON2_MEMORY_KIB'],
    [{ AUTH_ARGON2_MEMORY_KIB: '12288' }, 'AUTH_ARGON2_MEMORY_KIB'], // OWASP asks 19456 KiB at the default 2 passes
    [{ AUTH_ARGON2_MEMORY_KIB: '19456', AUTH_ARGON2_TIME_COST: '1' }, 'AUTH_ARGON2_MEMORY_KIB'],
    [{ AUTH_ARGON2_TIME_COST: '0' }, 'AUTH_ARGON2_TIME_COST'],
    [{ AUTH_ARGON2_TIME_COST: '11' }, 'AUTH_ARGON2_TIME_COST'],
  ])('refuses %o naming %s in one line', (env, name) => {
    let error: unknown;
    try {
      loadConfig(env as NodeJS.ProcessEnv);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(new RegExp(`^invalid configuration: ${name}=`));
    expect((error as Error).message).not.toContain('\n');
  });
});

describe('parseRateLimit', () => {
  it.each([
    ['5/1s,burst=10', { rate: 5, perMs: 1000, burst: 10 }],
    ['100/1m', { rate: 100, perMs: 60_000, burst: 100 }],
    ['3/500ms,burst=3', { rate: 3, perMs: 500, burst: 3 }],
    ['off', null],
  ])('parses %s', (text, expected) => {
    expect(parseRateLimit(text)).toEqual(expected);
  });

  it.each(['5', '5/s', '0/1s', '5/1s,burst=0', '5/1h', 'five/1s'])('refuses %s', (text) => {
    expect(() => parseRateLimit(text)).toThrow();
  });
});
