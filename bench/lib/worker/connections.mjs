import WebSocket from 'ws';
import { LeanSocket } from './lean-socket.mjs';

/**
 * One generator-side socket and what the worker knows about it.
 * `sender` is the global sender number when this socket sends, else -1.
 */
export class BenchClient {
  /** @param {number} userId */
  constructor(userId) {
    this.userId = userId;
    /** @type {WebSocket | LeanSocket | null} */
    this.ws = null;
    this.open = false;
    /** @type {number | null} close code when the server or the network closed it */
    this.closeCode = null;
    this.sender = -1;
    /** Next expected sequence number per global sender (allocated per run). */
    /** @type {Int32Array | null} */
    this.next = null;
    /** Global senders this socket must hear from; null = all of them. */
    /** @type {number[] | null} */
    this.expectFrom = null;
    this.probeToken = -1;
    this.sent = 0;
    this.acked = 0;
    this.inflight = 0;
    this.partnerUserId = 0;
  }
}

/** Options for every benchmark socket: no compression, no UTF-8 validation on receipt. */
export const WS_OPTIONS = Object.freeze({ perMessageDeflate: false, skipUTF8Validation: true, handshakeTimeout: 30_000 });

/**
 * Opens one authenticated socket.
 * @param {string} url ws://127.0.0.1:PORT/ws
 * @param {string} cookie `Cookie` header value
 * @returns {Promise<{ ws: WebSocket | null, error: string | null }>} never rejects
 */
export function openSocket(url, cookie) {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { ...WS_OPTIONS, headers: { Cookie: cookie } });
    const onError = (/** @type {Error} */ err) => {
      ws.removeAllListeners('open');
      resolve({ ws: null, error: statusOf(err) });
    };
    ws.once('error', onError);
    ws.once('open', () => {
      ws.off('error', onError);
      ws.on('error', () => {});
      resolve({ ws, error: null });
    });
  });
}

/** "Unexpected server response: 401" → "HTTP 401"; other errors by code or message. */
function statusOf(err) {
  const m = /Unexpected server response: (\d+)/.exec(err.message);
  if (m) return `HTTP ${m[1]}`;
  return /** @type {any} */ (err).code ?? err.message;
}

/**
 * Opens a socket per entry with at most `concurrency` handshakes pending, and wires
 * `onFrame` before the first frame can arrive.
 * @param {string} url
 * @param {{ cookie: string, userId: number }[]} entries
 * @param {number} concurrency
 * @param {(client: BenchClient, data: Buffer) => void} onFrame
 * @param {'lean' | 'ws'} [kind] `lean`: LeanSocket (cheap receipt); `ws`: the ws library
 * @returns {Promise<{ clients: BenchClient[], failures: Record<string, number> }>} clients in entry order, failed ones closed
 */
export async function openAll(url, entries, concurrency, onFrame, kind = 'lean') {
  const clients = entries.map((e) => new BenchClient(e.userId));
  /** @type {Record<string, number>} */
  const failures = {};
  let next = 0;
  const lane = async () => {
    while (next < entries.length) {
      const i = next++;
      const { ws, error } = kind === 'lean' ? await LeanSocket.connect(url, entries[i].cookie) : await openSocket(url, entries[i].cookie);
      const client = clients[i];
      if (!ws) {
        failures[error ?? 'error'] = (failures[error ?? 'error'] ?? 0) + 1;
        continue;
      }
      client.ws = ws;
      client.open = true;
      const onClose = (/** @type {number} */ code) => {
        client.open = false;
        client.closeCode = code;
      };
      if (ws instanceof LeanSocket) {
        ws.onmessage = (data) => onFrame(client, data);
        ws.onclose = onClose;
      } else {
        ws.on('message', (data) => onFrame(client, /** @type {Buffer} */ (data)));
        ws.on('close', onClose);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, lane));
  return { clients, failures };
}

/**
 * Counts open sockets and, for closed ones, their close codes.
 * @param {BenchClient[]} clients
 */
export function census(clients) {
  let open = 0;
  /** @type {Record<string, number>} */
  const closed = {};
  for (const c of clients) {
    if (c.open) open++;
    else if (c.ws) closed[String(c.closeCode)] = (closed[String(c.closeCode)] ?? 0) + 1;
  }
  return { open, closed };
}

/**
 * Drops every socket at once (no close handshake: the server is stopped next).
 * @param {BenchClient[]} clients
 */
export function dropAll(clients) {
  for (const c of clients) {
    if (c.ws instanceof LeanSocket) c.ws.terminate();
    else if (c.ws) {
      c.ws.removeAllListeners('close');
      c.ws.terminate();
    }
    c.open = false;
  }
}
