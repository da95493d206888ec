import type { ErrorFrame } from '../chat/protocol/frames.js';

/** Why a request of the client did not get its reply. */
export type ChatRequestFailure = 'refused' | 'disconnected' | 'session_ended' | 'closed';

/**
 * The rejection of every promise the client hands out. `failure` says why; `frame` is
 * the server's `error` frame when the server refused the request.
 */
export class ChatRequestError extends Error {
  constructor(
    readonly failure: ChatRequestFailure,
    message: string,
    readonly frame?: ErrorFrame,
  ) {
    super(message);
    this.name = 'ChatRequestError';
  }
}
