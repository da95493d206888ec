import { createRequire } from 'node:module';

const requireFromHere = createRequire(import.meta.url);

/** A configured feature needs a driver package that is not installed. */
export class MissingPeerError extends Error {
  override name = 'MissingPeerError';
}

/**
 * Loads the optional driver package `name` (better-sqlite3, pg, ioredis) at the moment a
 * setting needs it, so a host installs only the drivers it uses. A missing package throws
 * a `MissingPeerError` naming the package and the setting that needs it; any other load
 * failure (a broken native build) is thrown as it is.
 */
export function requirePeer<T>(name: string, neededFor: string): T {
  try {
    return requireFromHere(name) as T;
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    if (code === 'MODULE_NOT_FOUND' && message.includes(`'${name}'`)) {
      throw new MissingPeerError(`forum-chat needs the package "${name}" for ${neededFor}: npm install ${name}`);
    }
    throw error;
  }
}
