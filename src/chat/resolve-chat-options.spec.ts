import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { describe, expect, it } from 'vitest';
import { ChatOptionsError } from './chat-options.error.js';
import { ChatModule } from './chat.module.js';
import type { ChatModuleOptions } from './chat.options.js';
import { CHAT_DEFAULTS } from './chat-defaults.js';
import { resolveChatOptions } from './resolve-chat-options.js';

const users = { findById: async () => null, list: async () => [] };
const base: ChatModuleOptions = { userDirectory: users, databaseUrl: 'sqlite::memory:' };

function errorOf(options: Partial<ChatModuleOptions>): ChatOptionsError {
  try {
    resolveChatOptions({ ...base, ...options } as ChatModuleOptions);
  } catch (error) {
    return error as ChatOptionsError;
  }
  throw new Error(`accepted ${JSON.stringify(options)}`);
}

describe('resolveChatOptions', () => {
  it('applies every default', () => {
    const resolved = resolveChatOptions(base);
    expect(resolved).toMatchObject({
      path: '/ws',
      authStrategy: CHAT_DEFAULTS.authStrategy,
      pingIntervalMs: 54_000,
      pongTimeoutMs: 60_000,
      maxFrameBytes: 8192,
      sendQueueLimit: 256,
      rateLimit: { rate: 5, perMs: 1000, burst: 10 },
      handshakeRatePerIp: { rate: 10, perMs: 1000, burst: 20 },
      redisUrl: null,
      allowedOrigins: null,
    });
  });

  it('reads rates written as text, and "off"', () => {
    expect(resolveChatOptions({ ...base, rateLimit: '3/1s,burst=6', handshakeRatePerIp: 'off' })).toMatchObject({
      rateLimit: { rate: 3, perMs: 1000, burst: 6 },
      handshakeRatePerIp: null,
    });
  });

  it.each<[Partial<ChatModuleOptions>, string, RegExp]>([
    [{ pingIntervalMs: 60_000, pongTimeoutMs: 30_000 }, 'pongTimeoutMs', /more than pingIntervalMs \(60000\)/],
    [{ pingIntervalMs: 60_000 }, 'pingIntervalMs', /less than pongTimeoutMs \(60000\)/],
    [{ pongTimeoutMs: 1000 }, 'pongTimeoutMs', /more than pingIntervalMs \(54000\)/],
    [{ maxFrameBytes: -1 }, 'maxFrameBytes', /an integer ≥ 256/],
    [{ maxFrameBytes: 1 << 25 }, 'maxFrameBytes', /an integer ≤ 16777216/],
    [{ sendQueueLimit: 0 }, 'sendQueueLimit', /an integer ≥ 1/],
    [{ maxContentChars: 2.5 }, 'maxContentChars', /an integer ≥ 1/],
    [{ presenceTtlMs: 10 }, 'presenceTtlMs', /≥ 500/],
    [{ rateLimit: { rate: 0, perMs: 1000, burst: 1 } }, 'rateLimit', /integers ≥ 1/],
    [{ rateLimit: 'lots' }, 'rateLimit', /"<n>\/<duration>/],
    [{ handshakeRatePerIp: '5/1h' }, 'handshakeRatePerIp', /"<n>\/<duration>/],
    [{ databaseUrl: 'mysql://x' }, 'databaseUrl', /"sqlite:<path>" or "postgres:\/\/…"/],
    [{ databaseUrl: undefined }, 'databaseUrl', /or a messageStore/],
    [{ redisUrl: 'localhost:6379' }, 'redisUrl', /"redis:\/\/…"/],
    [{ redisKeyPrefix: 'has space' }, 'redisKeyPrefix', /letters, digits/],
    [{ path: 'ws' }, 'path', /starting with "\/"/],
    [{ authStrategy: '' }, 'authStrategy', /Passport strategy/],
    [{ allowedOrigins: 'https://a.example' as never }, 'allowedOrigins', /array of origins/],
    [{ userDirectory: {} as never }, 'userDirectory', /findById/],
  ])('refuses %o naming %s in one line', (options, name, expected) => {
    const error = errorOf(options);
    expect(error).toBeInstanceOf(ChatOptionsError);
    expect(error.option).toBe(name);
    expect(error.message).toMatch(new RegExp(`^invalid ChatModule option ${name}=`));
    expect(error.message).toMatch(expected);
    expect(error.message).not.toContain('\n');
  });
});

describe('ChatModule.forRoot with a bad option', () => {
  it('stops the application at start with the message naming the option', async () => {
    @Module({
      imports: [
        ChatModule.forRoot({
          ...base,
          pingIntervalMs: 60_000,
          pongTimeoutMs: 30_000,
          maxFrameBytes: -1,
          sendQueueLimit: 0,
        }),
      ],
    })
    class HostModule {}
    await expect(NestFactory.create(HostModule, { logger: false, abortOnError: false })).rejects.toThrow(
      /^invalid ChatModule option maxFrameBytes=-1 — expected an integer ≥ 256$/,
    );
  });
});
