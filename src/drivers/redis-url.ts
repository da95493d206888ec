/** One seed node of a Redis Cluster. */
export interface RedisSeed {
  host: string;
  port: number;
}

/**
 * Where Redis is: one server (`redis://` / `rediss://`, handed to ioredis as written) or a
 * Redis Cluster (`redis+cluster://` / `rediss+cluster://`, seed nodes, credentials and TLS).
 */
export type RedisLocation =
  | { kind: 'single'; url: string }
  | { kind: 'cluster'; seeds: RedisSeed[]; username?: string; password?: string; tls: boolean };

/** What a valid Redis URL looks like, for one-line start-up errors. */
export const REDIS_URL_FORMS = '"redis://…" (one server) or "redis+cluster://host:port,host:port,…" (a Redis Cluster)';

const SINGLE = /^rediss?:\/\/.+/;
const CLUSTER = /^(rediss?)\+cluster:\/\/(?:([^@/]*)@)?([^/?#@]+)\/?$/;
const SEED = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

/**
 * Reads a Redis URL: `redis[s]://…` names one server; `redis[s]+cluster://[user:password@]host:port,host:port,…`
 * names a Redis Cluster by one or more of its nodes (ioredis discovers the others). Returns
 * null for anything else (a port outside 1–65535, an empty seed list, a database number on
 * a cluster, which has only database 0), so the caller can refuse it in one line.
 */
export function parseRedisUrl(url: string): RedisLocation | null {
  const cluster = CLUSTER.exec(url);
  if (cluster) {
    const [, scheme, credentials, hosts] = cluster;
    const seeds: RedisSeed[] = [];
    for (const part of hosts.split(',')) {
      const seed = SEED.exec(part.trim());
      const port = seed ? Number(seed[2]) : 0;
      if (!seed || port < 1 || port > 65_535) return null;
      seeds.push({ host: seed[1].replace(/^\[|\]$/g, ''), port });
    }
    return { kind: 'cluster', seeds, tls: scheme === 'rediss', ...splitCredentials(credentials) };
  }
  if (url.includes('+cluster:')) return null;
  return SINGLE.test(url) ? { kind: 'single', url } : null;
}

function splitCredentials(credentials: string | undefined): { username?: string; password?: string } {
  if (!credentials) return {};
  const colon = credentials.indexOf(':');
  if (colon < 0) return { username: decodeURIComponent(credentials) };
  const username = decodeURIComponent(credentials.slice(0, colon));
  const password = decodeURIComponent(credentials.slice(colon + 1));
  return { ...(username ? { username } : {}), password };
}

/** Whether `url` names a Redis Cluster (`redis+cluster://` or `rediss+cluster://`). */
export function isRedisClusterUrl(url: string): boolean {
  return parseRedisUrl(url)?.kind === 'cluster';
}
