/** A private redis-server, or a three-master Redis Cluster of them (`local-redis.mjs`). */
export interface LocalRedis {
  /** `redis://127.0.0.1:<port>`, or `redis+cluster://` naming every master. */
  url: string;
  /** The port of each server. */
  ports: number[];
  /** Stops the servers and removes their directory. */
  stop(): Promise<void>;
}

/** Counts of a set of servers (`redisCounters`). */
export interface RedisCounters {
  calls: Record<string, number>;
  netIn: number;
  netOut: number;
}

/** One redis-server on a free port, in a temporary directory, without persistence. */
export function startSingleRedis(): Promise<LocalRedis>;
/** A three-master Redis Cluster on free ports; resolves once every node reports `cluster_state:ok`. */
export function startRedisCluster(): Promise<LocalRedis>;
/** `redis-cli -p <port> <args>`'s output. */
export function redisCli(port: number, ...args: string[]): Promise<string>;
/** Calls per command and bytes in and out, summed over the servers. */
export function redisCounters(redis: LocalRedis): Promise<RedisCounters>;
/** What happened between two snapshots, the INFO commands left out. */
export function counterDelta(before: RedisCounters, after: RedisCounters): RedisCounters;
