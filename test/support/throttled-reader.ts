import type { Socket } from 'node:net';
import type { TestSocket } from './ws-client.js';

/**
 * Reads `socket`'s TCP stream at a bounded rate: the stream is paused (so the kernel's
 * buffers fill and TCP pushes back on the server) and a timer hands ws at most
 * `bytesPerTick` bytes every 10 ms. Answers the function that lets it read freely again.
 */
export function throttleReading(socket: TestSocket, bytesPerTick: number): () => void {
  const raw = (socket.ws as unknown as { _socket: Socket })._socket;
  raw.pause();
  const timer = setInterval(() => {
    const available = raw.readableLength;
    if (available > 0) raw.read(Math.min(bytesPerTick, available));
    else raw.read(0); // asks the stream to fill its buffer from the kernel again
  }, 10);
  return () => {
    clearInterval(timer);
    raw.resume();
  };
}
