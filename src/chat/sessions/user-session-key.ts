/**
 * The session key every socket of user `id` also answers to, whatever its own session:
 * ending it closes all of the user's sockets. A host's session keys never start with NUL.
 */
export function userSessionKey(id: number): string {
  return `\u0000user:${id}`;
}
