/**
 * Encodes `payload` as one complete, unmasked WebSocket text frame (FIN set, opcode 1),
 * header and payload in a single buffer — what a server sends (RFC 6455 §5.2). The result
 * can be written to any number of sockets as is: server frames carry no per-socket mask.
 */
export function encodeTextFrame(payload: Buffer): Buffer {
  const length = payload.length;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81;
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  payload.copy(frame, headerLength);
  return frame;
}

/** `encodeTextFrame` of a string's UTF-8 bytes, without an intermediate buffer for short strings. */
export function encodeTextFrameOf(text: string): Buffer {
  return encodeTextFrame(Buffer.from(text));
}
