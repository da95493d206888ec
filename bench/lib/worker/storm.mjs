import { LeanSocket } from './lean-socket.mjs';
import { nowUs } from '../clock.mjs';

const RESUME = JSON.stringify({ type: 'resume', since: 0 });
const COUNT = Buffer.from('"count":');
const USER_ID = Buffer.from('"user_id":');

/**
 * One worker's share of a reconnect storm: sockets that open at once, each sending
 * `resume` on open like a reconnecting client, and each tracking what it knows of presence
 * — with `presence_changes` the `count` of the latest `online_page`/`presence` frame,
 * without it the set built from `online_users` + `user_joined`/`user_left`. A socket is
 * settled once it knows that `expected` users are online and its `resumed` arrived; the
 * time of that moment is kept (the process-wide clock), so the coordinator can tell when
 * the last socket settled. Each handshake may take until the storm's deadline (a client
 * of a real storm waits too): a slow server shows as a late settle, not as a failure.
 */
export class StormShare {
  constructor() {
    /** @type {StormSocket[]} */
    this.sockets = [];
    /** @type {Record<string, number>} */
    this.failures = {};
    this.frames = 0;
    this.bytes = 0;
    /** Handshake durations (µs, request → 101) of the sockets that opened. */
    this.handshakeUs = /** @type {number[]} */ ([]);
  }

  /**
   * @param {{ url: string, cookies: string[], concurrency: number, expected: number, mode: 'changes' | 'seed', deadlineUs: number }} p
   */
  async connect(p) {
    const url = p.mode === 'changes' ? `${p.url}?caps=presence_changes` : p.url;
    let next = 0;
    const lane = async () => {
      while (next < p.cookies.length) {
        const cookie = p.cookies[next++];
        const socket = new StormSocket(p.expected, p.mode, this);
        const startedUs = nowUs();
        const { ws, error } = await LeanSocket.connect(url, cookie, Math.max(1000, (p.deadlineUs - startedUs) / 1000));
        if (!ws) {
          this.failures[error ?? 'error'] = (this.failures[error ?? 'error'] ?? 0) + 1;
          continue;
        }
        socket.openedAtUs = nowUs();
        this.handshakeUs.push(socket.openedAtUs - startedUs);
        socket.attach(ws);
        this.sockets.push(socket);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, p.concurrency) }, lane));
    return null;
  }

  status() {
    let settled = 0;
    let open = 0;
    let lastSettledUs = 0;
    /** @type {Record<string, number>} */
    const closed = {};
    for (const s of this.sockets) {
      if (s.open) open++;
      else closed[String(s.closeCode)] = (closed[String(s.closeCode)] ?? 0) + 1;
      if (s.settledAtUs > 0) {
        settled++;
        lastSettledUs = Math.max(lastSettledUs, s.settledAtUs);
      }
    }
    return { opened: this.sockets.length, open, settled, lastSettledUs, closed, failures: this.failures, frames: this.frames, bytes: this.bytes };
  }

  /** When each socket opened and settled (µs, process-wide clock; 0: not settled), and each handshake's duration. */
  times() {
    return {
      openedAtUs: this.sockets.map((s) => s.openedAtUs),
      settledAtUs: this.sockets.map((s) => s.settledAtUs),
      handshakeUs: this.handshakeUs,
      counts: this.sockets.map((s) => s.count),
    };
  }

  close() {
    for (const s of this.sockets) s.ws?.terminate();
    this.sockets = [];
    return null;
  }
}

class StormSocket {
  /**
   * @param {number} expected
   * @param {'changes' | 'seed'} mode
   * @param {StormShare} share
   */
  constructor(expected, mode, share) {
    this.expected = expected;
    this.mode = mode;
    this.share = share;
    /** @type {LeanSocket | null} */
    this.ws = null;
    this.open = false;
    this.closeCode = 0;
    this.count = 0;
    /** @type {Set<number>} */
    this.online = new Set();
    this.resumed = false;
    this.openedAtUs = 0;
    this.settledAtUs = 0;
  }

  /** @param {LeanSocket} ws */
  attach(ws) {
    this.ws = ws;
    this.open = true;
    ws.onmessage = (data) => this.onFrame(data);
    ws.onclose = (code) => {
      this.open = false;
      this.closeCode = code;
    };
    ws.send(RESUME);
  }

  /** @param {Buffer} data */
  onFrame(data) {
    this.share.frames++;
    this.share.bytes += data.length;
    const type = data.toString('latin1', 9, data.indexOf(34, 9));
    if (type === 'resumed') this.resumed = true;
    else if (type === 'presence' || type === 'online_page') this.count = numberAfter(data, COUNT);
    else if (type === 'online_users') {
      const frame = JSON.parse(data.toString());
      this.online = new Set(frame.users.map((/** @type {{ id: number }} */ u) => u.id));
      this.count = frame.count ?? this.online.size;
    } else if (type === 'user_joined') this.count = this.online.add(numberAfter(data, USER_ID)).size;
    else if (type === 'user_left') {
      this.online.delete(numberAfter(data, USER_ID));
      this.count = this.online.size;
    }
    if (this.settledAtUs === 0 && this.resumed && this.count === this.expected) this.settledAtUs = nowUs();
  }
}

/** The non-negative integer that follows `key` in `data` (-1 when absent). */
function numberAfter(data, key) {
  let at = data.indexOf(key);
  if (at < 0) return -1;
  at += key.length;
  let n = 0;
  for (let c = data[at]; c >= 48 && c <= 57; c = data[++at]) n = n * 10 + (c - 48);
  return n;
}
