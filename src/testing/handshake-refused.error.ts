/** A WebSocket upgrade answered with an HTTP status instead of a socket (401, 403, 429, …). */
export class HandshakeRefusedError extends Error {
  override name = 'HandshakeRefusedError';

  constructor(
    readonly status: number,
    readonly body: string,
    /** The refusal's response headers (`retry-after` on 429, …). */
    readonly headers: Record<string, string | string[] | undefined> = {},
  ) {
    super(`handshake refused with HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ''}`);
  }
}
