import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The Redis the cluster tests use (the machine's local one unless `TEST_REDIS_URL` says otherwise). */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** The PostgreSQL database the cluster tests use (`TEST_DATABASE_URL` overrides). */
export const TEST_POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Whether Redis and PostgreSQL answer, and if not, why. */
export interface ServiceProbe {
  available: boolean;
  reason: string;
}

async function probeRedis(): Promise<string | null> {
  const redis = new Redis(TEST_REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 1_000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (error) {
    return `Redis at ${TEST_REDIS_URL}: ${(error as Error).message}`;
  } finally {
    redis.disconnect();
  }
}

async function probePostgres(): Promise<string | null> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return `PostgreSQL at ${TEST_POSTGRES_URL}: ${(error as Error).message}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Checks that the services the cluster tests need answer. Under `CI=true` a missing
 * service is an error (the suite fails, it is not skipped); elsewhere the caller skips
 * and this prints why, loudly.
 */
export async function requireClusterServices(): Promise<ServiceProbe> {
  const problems = (await Promise.all([probeRedis(), probePostgres()])).filter((p): p is string => p !== null);
  if (problems.length === 0) return { available: true, reason: '' };
  const reason = `cluster services unreachable — ${problems.join('; ')}`;
  if (process.env.CI === 'true') throw new Error(`${reason} (CI=true: the cluster tests must run)`);
  process.stderr.write(
    `\n!!!! SKIPPING cluster tests: ${reason}\n!!!! start them (see DEVELOPERS.md / .ci/run) to run these tests\n\n`,
  );
  return { available: false, reason };
}

/** A name unique to this test run, usable as a PostgreSQL schema and a Redis key prefix: `fc_<pid>_<random>`. */
export function testNamespace(): string {
  return `fc_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** `TEST_POSTGRES_URL` with its tables in `schema`. */
export function postgresUrlFor(schema: string): string {
  const url = new URL(TEST_POSTGRES_URL);
  url.searchParams.set('schema', schema);
  return url.toString();
}

/** Drops a test schema and everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Deletes every Redis key under `prefix`. */
export async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
