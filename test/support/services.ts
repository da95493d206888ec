import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'vitest';

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

/** The probe of tests that need no service: they always run. */
export const ALWAYS: ServiceProbe = { available: true, reason: '' };

/** A service some tests need. */
export type TestService = 'redis' | 'postgres';

const PROBES: Record<TestService, () => Promise<string | null>> = { redis: probeRedis, postgres: probePostgres };

/**
 * The one rule for tests that need Redis or PostgreSQL (DEVELOPERS.md): probe the
 * services once per file; when one is absent, under `CI=true` this throws (the file
 * fails), elsewhere it prints the reason loudly and the caller registers its tests with
 * `describeWithServices`, which reports every one of them as skipped, the reason in the
 * suite's title. No such test is left out silently and none fails for want of a service.
 */
export async function requireServices(...services: TestService[]): Promise<ServiceProbe> {
  const problems = (await Promise.all(services.map((service) => PROBES[service]()))).filter(
    (p): p is string => p !== null,
  );
  if (problems.length === 0) return { available: true, reason: '' };
  const reason = `services unreachable — ${problems.join('; ')}`;
  if (process.env.CI === 'true') throw new Error(`${reason} (CI=true: these tests must run)`);
  process.stderr.write(
    `\n!!!! SKIPPING tests: ${reason}\n!!!! start them (see DEVELOPERS.md / .ci/run) to run these tests\n\n`,
  );
  return { available: false, reason };
}

/** `requireServices('redis', 'postgres')`: what the cluster tests need. */
export function requireClusterServices(): Promise<ServiceProbe> {
  return requireServices('redis', 'postgres');
}

/**
 * `describe(title, body)` when `probe` found its services; otherwise the same suite
 * reported as skipped, every test of it listed, with the reason in its title.
 */
export function describeWithServices(probe: ServiceProbe, title: string, body: () => void): void {
  const shownTitle = probe.available ? title : `${title} — not run: ${probe.reason}`;
  describe(shownTitle, { skip: !probe.available }, body);
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
