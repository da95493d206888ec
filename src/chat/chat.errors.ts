import type { ErrorCode } from './protocol/frames.js';

/**
 * A refusal the client caused, answered with an `error` frame of `code`; the socket stays
 * open. `retryAfterMs` accompanies `rate_limited`.
 */
export class ChatError extends Error {
  override name = 'ChatError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}
