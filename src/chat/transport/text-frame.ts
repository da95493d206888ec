import * as wsModule from 'ws';

/** The options of `ws`'s `Sender.frame` that a server's text frame needs. */
interface FrameOptions {
  fin: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
  rsv1: boolean;
}

/**
 * `ws`'s own framing, `Sender.frame`: exported by `ws` (its `Sender` class) though absent
 * from its type definitions; `ws-private-path.spec.ts` fails if it changes.
 */
const Sender = (wsModule as unknown as { Sender: { frame(data: Buffer, options: FrameOptions): Buffer[] } }).Sender;

const TEXT_FRAME: FrameOptions = { fin: true, opcode: 0x1, mask: false, readOnly: true, rsv1: false };

/**
 * Encodes `payload` as one complete, unmasked WebSocket text frame (FIN set, opcode 1),
 * header and payload in a single buffer, with the framing `ws` uses for its own sends
 * (RFC 6455 §5.2). The result can be written to any number of sockets as is: server
 * frames carry no per-socket mask.
 */
export function encodeTextFrame(payload: Buffer): Buffer {
  const [header, body] = Sender.frame(payload, TEXT_FRAME);
  return body === undefined ? header : Buffer.concat([header, body], header.length + body.length);
}

/** `encodeTextFrame` of a string's UTF-8 bytes. */
export function encodeTextFrameOf(text: string): Buffer {
  return encodeTextFrame(Buffer.from(text));
}
