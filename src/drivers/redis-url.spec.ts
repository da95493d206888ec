import { describe, expect, it } from 'vitest';
import { isRedisClusterUrl, parseRedisUrl } from './redis-url.js';

describe('parseRedisUrl', () => {
  it('hands a single-server URL to ioredis as written', () => {
    expect(parseRedisUrl('redis://127.0.0.1:6379/2')).toEqual({ kind: 'single', url: 'redis://127.0.0.1:6379/2' });
    expect(parseRedisUrl('rediss://:secret@cache.internal:6380')?.kind).toBe('single');
  });

  it('reads a Redis Cluster: seed nodes, credentials, TLS', () => {
    expect(parseRedisUrl('redis+cluster://10.0.0.1:7000,10.0.0.2:7001')).toEqual({
      kind: 'cluster',
      seeds: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
      ],
      tls: false,
    });
    expect(parseRedisUrl('rediss+cluster://chat:p%40ss@redis-a:6379,[::1]:6380/')).toEqual({
      kind: 'cluster',
      seeds: [
        { host: 'redis-a', port: 6379 },
        { host: '::1', port: 6380 },
      ],
      username: 'chat',
      password: 'p@ss',
      tls: true,
    });
    expect(isRedisClusterUrl('redis+cluster://h:1')).toBe(true);
    expect(isRedisClusterUrl('redis://h:1')).toBe(false);
  });

  it('refuses what is neither', () => {
    for (const bad of [
      'http://h:1',
      'redis+cluster://',
      'redis+cluster://h',
      'redis+cluster://h:0',
      'redis+cluster://h:70000',
      'redis+cluster://h:1,',
      'redis+cluster://h:1/3',
      'redis+sentinel://h:1',
    ]) {
      expect(parseRedisUrl(bad), bad).toBeNull();
    }
  });
});
