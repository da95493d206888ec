import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './app-config.js';
import { parsePostgresUrl } from '../drivers/postgres.js';

describe('cluster configuration', () => {
  it('reads CHAT_REDIS_PREFIX and CHAT_PRESENCE_TTL_MS, refusing bad values with a one-line message', () => {
    expect(loadConfig({ CHAT_REDIS_PREFIX: 'fc_1_ab:', CHAT_PRESENCE_TTL_MS: '3000' }).chat).toMatchObject({
      redisKeyPrefix: 'fc_1_ab:',
      presenceTtlMs: 3000,
    });
    expect(() => loadConfig({ CHAT_PRESENCE_TTL_MS: '100' })).toThrow(ConfigError);
    expect(() => loadConfig({ CHAT_REDIS_PREFIX: 'has space' })).toThrow(/CHAT_REDIS_PREFIX/);
  });

  it('takes a Redis Cluster as REDIS_URL=redis+cluster://host:port,…, refusing a malformed one in one line', () => {
    const seeds = 'redis+cluster://10.0.0.1:7000,10.0.0.2:7000';
    expect(loadConfig({ REDIS_URL: seeds }).chat.redisUrl).toBe(seeds);
    expect(() => loadConfig({ REDIS_URL: 'redis+cluster://10.0.0.1' })).toThrow(
      /^[^\n]*REDIS_URL[^\n]*redis\+cluster:\/\/host:port/,
    );
  });

  it('takes the PostgreSQL schema from the URL', () => {
    expect(parsePostgresUrl('postgres://u@h:5432/db?schema=chat_x&sslmode=disable')).toEqual({
      connectionString: 'postgres://u@h:5432/db?sslmode=disable',
      schema: 'chat_x',
    });
    expect(parsePostgresUrl('postgres://u@h/db').schema).toBe('public');
    expect(() => parsePostgresUrl('postgres://u@h/db?schema=x";drop')).toThrow(/schema/);
  });
});
