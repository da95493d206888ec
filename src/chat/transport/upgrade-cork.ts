import type { Socket } from 'node:net';

/**
 * Holds back the `101 Switching Protocols` answer of an accepted upgrade until the socket's
 * first frames are written: a connect queues its online list in the same event-loop turn,
 * so the answer and the first frames leave in one write (one system call, one TCP segment)
 * instead of two. `hold` corks the socket as `ws` is about to write the answer (its
 * `headers` event); the first `releaseUpgrade` (after the connection's first write) sends
 * both. A socket not released by then is released at the end of the next event-loop turn
 * anyway: the answer is never held longer than that, whatever the connect waits for.
 */
export class UpgradeCork {
  private held: Socket[] = [];
  private scheduled = false;

  /** Corks `socket` until its first frames are written, or the next event-loop turn ends. */
  hold(socket: Socket): void {
    socket.cork();
    this.held.push(socket);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.armRelease);
  }

  /** At the end of the turn the sockets were held in: the ones still held go at the end of the next. */
  private readonly armRelease = (): void => {
    this.scheduled = false;
    const batch = this.held;
    this.held = [];
    setImmediate(() => {
      for (const socket of batch) releaseUpgrade(socket);
    });
  };
}

/** Writes what a held socket buffered (the upgrade's answer, then its first frames) in one write. */
export function releaseUpgrade(socket: Socket): void {
  if (socket.writableCorked > 0) socket.uncork();
}
