/** The close code `ws` sends for each protocol violation it reports as an error (`error.code`). */
const CLOSE_CODE_OF: Record<string, number> = {
  WS_ERR_INVALID_UTF8: 1007,
  WS_ERR_UNSUPPORTED_MESSAGE_LENGTH: 1009,
  WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH: 1009,
  WS_ERR_TOO_MANY_BUFFERED_PARTS: 1008,
  WS_ERR_INVALID_CLOSE_CODE: 1002,
  WS_ERR_INVALID_CONTROL_PAYLOAD_LENGTH: 1002,
  WS_ERR_INVALID_OPCODE: 1002,
  WS_ERR_EXPECTED_FIN: 1002,
  WS_ERR_EXPECTED_MASK: 1002,
  WS_ERR_UNEXPECTED_MASK: 1002,
  WS_ERR_UNEXPECTED_RSV_1: 1002,
  WS_ERR_UNEXPECTED_RSV_2_3: 1002,
};

/**
 * The close code `ws` sent when it closed a socket over a client's protocol violation
 * (1007 invalid UTF-8, 1009 too big, 1002 bad framing, 1008 too many fragments), or
 * undefined for an error that is not one of those.
 */
export function protocolErrorCloseCode(error: { code?: unknown }): number | undefined {
  return typeof error.code === 'string' ? CLOSE_CODE_OF[error.code] : undefined;
}
