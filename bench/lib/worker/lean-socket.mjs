import net from 'node:net';
import { createHash, randomBytes } from 'node:crypto';

/** The RFC 6455 GUID appended to the key to compute `Sec-WebSocket-Accept`. */
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** Longest wait for the server's answer to the upgrade, unless the caller says otherwise. */
const HANDSHAKE_TIMEOUT_MS = 30_000;

/**
 * A minimal RFC 6455 client for load generation, cheaper per received frame than
 * `ws`: it hands each text frame's payload to `onmessage` as a Buffer view without
 * copying, validating UTF-8 or emitting events. It answers pings and close frames,
 * reassembles fragmented messages, and masks what it sends with an all-zero key
 * (legal: the key is chosen by the client; the server unmasks as usual).
 * It is for the benchmark only: no extensions, no subprotocols, no TLS.
 */
export class LeanSocket {
  /**
   * Opens `/ws` with a session cookie.
   * @param {string} url ws://127.0.0.1:PORT/path
   * @param {string} cookie `Cookie` header value
   * @param {number} [timeoutMs] longest wait for the server's answer
   * @returns {Promise<{ ws: LeanSocket | null, error: string | null }>} never rejects
   */
  static connect(url, cookie, timeoutMs = HANDSHAKE_TIMEOUT_MS) {
    const { hostname, port, pathname, search } = parsedUrl(url);
    const key = randomBytes(16).toString('base64');
    const accept = createHash('sha1').update(key + GUID).digest('base64');
    return new Promise((resolve) => {
      const sock = net.connect(Number(port), hostname);
      sock.setNoDelay(true);
      let head = Buffer.alloc(0);
      const fail = (/** @type {string} */ error) => {
        clearTimeout(timer);
        sock.removeAllListeners('data');
        sock.destroy();
        resolve({ ws: null, error });
      };
      const timer = setTimeout(() => fail('handshake timeout'), timeoutMs);
      sock.once('error', (err) => fail(/** @type {any} */ (err).code ?? err.message));
      sock.on('data', (chunk) => {
        head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        const text = head.subarray(0, end).toString('latin1');
        const status = text.startsWith('HTTP/1.1 ') ? text.slice(9, 12) : '?';
        if (status !== '101') return fail(`HTTP ${status}`);
        if (headerValue(text, 'sec-websocket-accept') !== accept) return fail('bad Sec-WebSocket-Accept');
        clearTimeout(timer);
        sock.removeAllListeners('data');
        sock.removeAllListeners('error');
        const ws = new LeanSocket(sock);
        resolve({ ws, error: null });
        if (head.length > end + 4) ws.#onData(head.subarray(end + 4));
      });
      sock.write(
        `GET ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\n` +
          `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n` +
          `Cookie: ${cookie}\r\n\r\n`,
      );
    });
  }

  /** @param {net.Socket} sock an upgraded connection */
  constructor(sock) {
    this.sock = sock;
    /** @type {((data: Buffer) => void) | null} */
    this.handler = null;
    /** @type {Buffer[]} messages that arrived before `onmessage` was set (in the 101 answer's packet) */
    this.early = [];
    /** @type {((code: number) => void) | null} called once when the connection ends */
    this.onclose = null;
    /** @type {Buffer | null} bytes of an incomplete frame */
    this.pending = null;
    /** @type {Buffer[] | null} parts of a fragmented message */
    this.fragments = null;
    this.closeCode = 1006;
    this.ended = false;
    sock.on('data', (chunk) => this.#onData(chunk));
    sock.on('error', () => {});
    sock.on('close', () => {
      if (this.ended) return;
      this.ended = true;
      this.onclose?.(this.closeCode);
    });
  }

  /** Called with each text or binary message; messages that came before it was set are handed to it at once. */
  get onmessage() {
    return this.handler;
  }

  set onmessage(handler) {
    this.handler = handler;
    if (!handler) return;
    const early = this.early;
    this.early = [];
    for (const data of early) handler(data);
  }

  /** @param {Buffer} data */
  #deliver(data) {
    if (this.handler) this.handler(data);
    else this.early.push(Buffer.from(data)); // a copy: the view's chunk may be reused
  }

  /**
   * Sends one text message (a single masked frame).
   * @param {string} text
   */
  send(text) {
    if (this.ended) return;
    this.#write(0x81, text);
  }

  /** Starts the close handshake with `code`. */
  close(code = 1000) {
    if (this.ended) return;
    const body = Buffer.alloc(2);
    body.writeUInt16BE(code);
    this.#write(0x88, body);
    this.sock.end();
  }

  /** Drops the connection at once; `onclose` is not called. */
  terminate() {
    this.ended = true;
    this.sock.destroy();
  }

  /**
   * @param {number} b0 FIN + opcode
   * @param {string | Buffer} payload
   */
  #write(b0, payload) {
    const len = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
    const hdr = len < 126 ? 6 : len < 65536 ? 8 : 14;
    const frame = Buffer.allocUnsafe(hdr + len);
    frame[0] = b0;
    if (len < 126) frame[1] = 0x80 | len;
    else if (len < 65536) {
      frame[1] = 0x80 | 126;
      frame.writeUInt16BE(len, 2);
    } else {
      frame[1] = 0x80 | 127;
      frame.writeBigUInt64BE(BigInt(len), 2);
    }
    frame.writeUInt32BE(0, hdr - 4); // mask key 0: payload bytes go as they are
    if (typeof payload === 'string') frame.write(payload, hdr);
    else payload.copy(frame, hdr);
    this.sock.write(frame);
  }

  /** @param {Buffer} chunk */
  #onData(chunk) {
    const buf = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = null;
    let off = 0;
    while (buf.length - off >= 2) {
      const b0 = buf[off];
      const b1 = buf[off + 1];
      if (b1 & 0x80) return this.#protocolError(); // servers never mask
      let len = b1 & 0x7f;
      let hdr = 2;
      if (len === 126) {
        if (buf.length - off < 4) break;
        len = buf.readUInt16BE(off + 2);
        hdr = 4;
      } else if (len === 127) {
        if (buf.length - off < 10) break;
        len = Number(buf.readBigUInt64BE(off + 2));
        hdr = 10;
      }
      if (buf.length - off < hdr + len) break;
      const payload = buf.subarray(off + hdr, off + hdr + len);
      off += hdr + len;
      this.#frame(b0, payload);
      if (this.ended) return;
    }
    if (off < buf.length) this.pending = buf.subarray(off);
  }

  /**
   * @param {number} b0
   * @param {Buffer} payload
   */
  #frame(b0, payload) {
    const fin = (b0 & 0x80) !== 0;
    const op = b0 & 0x0f;
    if (op === 0x1 || op === 0x2) {
      if (fin) this.#deliver(payload);
      else this.fragments = [Buffer.from(payload)];
    } else if (op === 0x0) {
      if (!this.fragments) return this.#protocolError();
      this.fragments.push(Buffer.from(payload));
      if (fin) {
        const whole = Buffer.concat(this.fragments);
        this.fragments = null;
        this.#deliver(whole);
      }
    } else if (op === 0x8) {
      this.closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
      this.#write(0x88, payload.subarray(0, 2));
      this.sock.end();
    } else if (op === 0x9) {
      this.#write(0x8a, Buffer.from(payload));
    }
  }

  #protocolError() {
    this.closeCode = 1002;
    this.sock.destroy();
  }
}

/** @type {Map<string, URL>} */
const parsedUrls = new Map();

/** `new URL(url)`, parsed once per URL (every socket of a run opens the same one). */
function parsedUrl(/** @type {string} */ url) {
  let parsed = parsedUrls.get(url);
  if (!parsed) parsedUrls.set(url, (parsed = new URL(url)));
  return parsed;
}

/**
 * The value of header `name` (lower case) in an HTTP head, trimmed; null when absent.
 * A plain scan instead of a regular expression built per connection (a storm opens thousands).
 * @param {string} head status line and headers, CRLF-separated
 * @param {string} name
 */
function headerValue(head, name) {
  for (let at = head.indexOf('\r\n'); at >= 0; ) {
    const next = head.indexOf('\r\n', at + 2);
    const line = head.slice(at + 2, next < 0 ? head.length : next);
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === name) return line.slice(colon + 1).trim();
    at = next;
  }
  return null;
}
