// Loaded into a server process with `--import` (bench/cluster-storm.mjs does so): counts the
// queries the PostgreSQL driver (`pg`) of that server sends, and writes the running total to
// the file `PG_QUERY_COUNT_FILE` every 100 ms, so that a bench can tell how many queries a
// storm cost. `PG_QUERY_COUNT_FROM` is a file of the server (its `main.js`), from which `pg` is
// resolved, so that the count wraps the very driver the server loads.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const file = process.env.PG_QUERY_COUNT_FILE;
const from = process.env.PG_QUERY_COUNT_FROM;
if (file && from) {
  const { Client } = createRequire(from)('pg');
  const query = Client.prototype.query;
  let queries = 0;
  Client.prototype.query = function countedQuery(...args) {
    queries += 1;
    return query.apply(this, args);
  };
  const write = () => writeFileSync(file, String(queries));
  write();
  setInterval(write, 100).unref();
}

/**
 * Queries counted so far by the server writing `file` (0 before its first write).
 * @param {string} file
 * @returns {number}
 */
export function countedQueries(file) {
  try {
    return Number(readFileSync(file, 'utf8')) || 0;
  } catch {
    return 0;
  }
}
