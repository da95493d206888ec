import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * A name for this chat instance in a cluster, unique across restarts:
 * `<host>-<pid>-<random>` (letters, digits, `.`, `-` and `_` only).
 */
export function newNodeId(): string {
  const host = hostname().replace(/[^A-Za-z0-9._-]/g, '_');
  return `${host}-${process.pid}-${randomBytes(4).toString('hex')}`;
}
