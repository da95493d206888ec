import { Logger } from '@nestjs/common';
import type pg from 'pg';
import { requirePeer } from './optional-peer.js';

/** A `pg` connection pool bound to one schema. */
export type PostgresPool = pg.Pool;

/** One schema step; `id` orders the steps and is recorded once applied. */
export interface PostgresMigration {
  id: number;
  sql: string;
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Splits the `schema` query parameter off a `postgres://…` URL: forum-chat keeps its tables
 * in that schema (created if missing; default `public`), which lets tests and several
 * deployments share one database. Throws on a schema name that is not a plain identifier.
 */
export function parsePostgresUrl(url: string): { connectionString: string; schema: string } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? 'public';
  if (!SCHEMA_NAME.test(schema))
    throw new Error(`invalid schema "${schema}" in DATABASE_URL: letters, digits and _ only`);
  parsed.searchParams.delete('schema');
  return { connectionString: parsed.toString(), schema };
}

/**
 * Opens a pool on the database of `url` whose connections all use the URL's schema
 * (`search_path`), creating the schema if needed. Errors of idle connections (a database
 * restart) are logged, never thrown: the pool replaces those connections on the next query.
 * Needs the optional package pg (a `MissingPeerError` names it when absent).
 */
export async function openPostgres(url: string, options: { max: number; name: string }): Promise<PostgresPool> {
  const { connectionString, schema } = parsePostgresUrl(url);
  const driver = requirePeer<typeof pg>('pg', 'a "postgres://" database URL');
  const logger = new Logger(`Postgres ${options.name}`);
  const setup = new driver.Client({ connectionString });
  setup.on('error', () => undefined); // a lost connection fails the query in progress
  await setup.connect();
  try {
    await setup.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } catch (error) {
    // another instance created it at the same moment
    const code = (error as { code?: string }).code;
    if (code !== '23505' && code !== '42P06') throw error;
  } finally {
    await setup.end();
  }
  const pool = new driver.Pool({
    connectionString,
    max: options.max,
    options: `-c search_path="${schema}"`,
    // names the schema too, so an operator can tell deployments apart in pg_stat_activity
    application_name: `forum-chat ${options.name} ${schema}`.slice(0, 63),
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  pool.on('error', (error) => logger.warn(`idle connection failed: ${error.message}`));
  return pool;
}

/**
 * Applies the migrations of `namespace` that are not applied yet, in `id` order, in one
 * transaction (all or none). Instances starting together take turns (an advisory lock
 * per schema), so each step runs exactly once.
 */
export async function migratePostgres(
  pool: PostgresPool,
  namespace: string,
  migrations: PostgresMigration[],
): Promise<void> {
  const client = await pool.connect();
  const onError = () => undefined; // a lost connection fails the query in progress
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    await client.query(
      `SELECT pg_advisory_xact_lock(hashtextextended('forum-chat migrations ' || current_schema(), 0))`,
    );
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      namespace TEXT NOT NULL, id INTEGER NOT NULL, applied_at BIGINT NOT NULL,
      PRIMARY KEY (namespace, id))`);
    const applied = await client.query<{ id: number }>('SELECT id FROM schema_migrations WHERE namespace = $1', [
      namespace,
    ]);
    const done = new Set(applied.rows.map((row) => row.id));
    for (const migration of [...migrations].sort((a, b) => a.id - b.id)) {
      if (done.has(migration.id)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (namespace, id, applied_at) VALUES ($1, $2, $3)', [
        namespace,
        migration.id,
        Date.now(),
      ]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.off('error', onError);
    client.release();
  }
}

/** Whether the pool's database answers. */
export async function pingPostgres(pool: PostgresPool): Promise<boolean> {
  try {
    await pool.query('SELECT 1');
    return true;
  } catch {
    return false;
  }
}
