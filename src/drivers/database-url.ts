/** Where users, sessions and messages live, parsed from `DATABASE_URL`. */
export type DatabaseLocation = { engine: 'sqlite'; path: string } | { engine: 'postgres'; url: string };

/** Parses `sqlite:<path>` (`sqlite::memory:` for a private in-memory database) or `postgres://…`. */
export function parseDatabaseUrl(url: string): DatabaseLocation {
  if (url.startsWith('sqlite:')) return { engine: 'sqlite', path: url.slice('sqlite:'.length) };
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return { engine: 'postgres', url };
  throw new Error(`unsupported DATABASE_URL "${url}": expected "sqlite:<path>" or "postgres://…"`);
}
