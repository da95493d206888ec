import { Socket } from 'node:net';
import type { WebSocket } from 'ws';

/**
 * The TCP socket `ws` handed over at the upgrade, which `ClientConnection` writes whole
 * frames to. `ws` keeps it in a private field (`_socket`): this is the one place that
 * reads it, it throws at once if a `ws` release moved it (instead of delivery going
 * silent), and `ws-private-path.spec.ts` checks it against the `ws` the package pins.
 */
export function rawSocketOf(ws: WebSocket): Socket {
  const socket = (ws as unknown as { _socket?: unknown })._socket;
  if (!(socket instanceof Socket)) {
    throw new Error('ws no longer exposes the upgraded TCP socket as _socket: check the pinned ws version');
  }
  return socket;
}
