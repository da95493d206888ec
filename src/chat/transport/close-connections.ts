import type { ClientConnection } from './client-connection.js';

/**
 * Closes every connection with `code` and resolves once all of them are closed or
 * `timeoutMs` passed, whichever comes first.
 */
export async function closeConnections(
  connections: Iterable<ClientConnection>,
  code: number,
  reason: string,
  timeoutMs: number,
): Promise<void> {
  const closed = [...connections].map(
    (connection) =>
      new Promise<void>((resolve) => {
        if (connection.isClosed) return resolve();
        connection.onClose(() => resolve());
        connection.close(code, reason);
      }),
  );
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(closed),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
    }),
  ]);
  clearTimeout(timer);
}
