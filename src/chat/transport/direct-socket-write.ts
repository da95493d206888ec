import { writeSync } from 'node:fs';
import type { Socket } from 'node:net';

/** The parts of an accepted TCP socket, beyond `net.Socket`'s public ones, that a direct write reads. */
interface PlainTcpSocket extends Socket {
  /** libuv's stream handle; on Unix its `fd` is the socket's file descriptor (-1 elsewhere). */
  _handle?: { fd?: unknown } | null;
  /** True on a `tls.TLSSocket`, whose descriptor carries ciphertext. */
  encrypted?: boolean;
}

/**
 * The socket's file descriptor when bytes written to it now go out right after everything
 * written before: a plain (unencrypted) TCP socket, connected, open for writing, with nothing
 * waiting in its stream (no queued or unfinished write, not corked). Undefined otherwise, and
 * where the platform has no descriptor (Windows).
 */
function idleDescriptorOf(socket: PlainTcpSocket): number | undefined {
  if (socket.encrypted || socket.destroyed || socket.connecting || !socket.writable) return undefined;
  if (socket.writableLength !== 0 || socket.writableCorked !== 0) return undefined;
  const fd = socket._handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : undefined;
}

/**
 * Hands `bytes` to the operating system at once, with one `write(2)` on the socket's
 * descriptor, when nothing written before is still waiting in the socket's stream (so the
 * order of everything written to the socket is kept); answers how many bytes the OS took:
 * all of them in the common case, fewer when its buffer filled up, 0 when it was not tried
 * (the stream is busy, TLS, no descriptor) or failed (full buffer, peer gone). The caller
 * writes what is left through the stream as usual, which also reports a failed socket the
 * usual way. For a socket that gets one small frame per event-loop turn this skips the
 * stream's bookkeeping (a write request, a callback and a tick per write) that costs about
 * as much as a fifth of the system call itself.
 */
export function writeNowIfIdle(socket: Socket, bytes: Buffer): number {
  const fd = idleDescriptorOf(socket as PlainTcpSocket);
  if (fd === undefined) return 0;
  try {
    return writeSync(fd, bytes);
  } catch {
    return 0; // EAGAIN (the OS buffer is full) or a dead peer: the stream takes it from here
  }
}
