/**
 * WebSocket close codes of the contract. Each one names exactly one cause, so a
 * client can tell "the session ended, log in again" (4401) from "try again later".
 */
export const CloseCode = {
  /** The server is shutting down; reconnect to another instance or later. */
  GOING_AWAY: 1001,
  /** The client sent a binary frame; the protocol is JSON text only. */
  UNSUPPORTED_DATA: 1003,
  /** A text frame was not valid UTF-8. */
  INVALID_PAYLOAD: 1007,
  /** Sustained abuse: too many messages refused as `rate_limited`. */
  POLICY_VIOLATION: 1008,
  /** A frame larger than `CHAT_MAX_FRAME_BYTES`. */
  MESSAGE_TOO_BIG: 1009,
  /** Slow consumer: more than `CHAT_SEND_QUEUE_LIMIT` frames waiting. */
  TRY_AGAIN_LATER: 1013,
  /** The session ended: logout, expiry or revocation. Do not reconnect with it. */
  SESSION_ENDED: 4401,
} as const;

export type CloseCodeValue = (typeof CloseCode)[keyof typeof CloseCode];
