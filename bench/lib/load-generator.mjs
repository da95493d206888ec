import { Worker } from 'node:worker_threads';
import { Histogram } from './histogram.mjs';
import { nowUs } from './clock.mjs';

const WORKER_URL = new URL('./worker/main.mjs', import.meta.url);

/**
 * The coordinator of the generator's worker threads. Sockets are dealt round-robin
 * over the workers; socket `i` lives in worker `i % n` at local index `floor(i / n)`.
 * `close()` terminates the workers, dropping every socket they hold.
 */
export class LoadGenerator {
  /**
   * @param {number} workers
   * @param {'lean' | 'ws'} [clientKind] socket implementation for `connect` (see worker/lean-socket.mjs)
   */
  constructor(workers, clientKind = 'lean') {
    this.clientKind = clientKind;
    this.workers = Array.from({ length: workers }, () => new Worker(WORKER_URL));
    /** @type {Map<number, { resolve: (v: any) => void, reject: (e: Error) => void }>} */
    this.pending = new Map();
    this.nextId = 1;
    for (const w of this.workers) {
      w.on('message', ({ id, result, error }) => {
        const p = this.pending.get(id);
        this.pending.delete(id);
        if (error) p?.reject(new Error(error));
        else p?.resolve(result);
      });
      w.on('error', (err) => {
        for (const p of this.pending.values()) p.reject(err);
        this.pending.clear();
      });
    }
    /** Sockets per worker. */
    this.counts = this.workers.map(() => 0);
  }

  /** Where socket `i` lives. */
  place(i) {
    const n = this.workers.length;
    return { worker: i % n, local: Math.floor(i / n) + 0 };
  }

  /**
   * Sends a command to one worker.
   * @param {number} w worker index
   * @param {string} cmd
   * @param {any} [args]
   */
  call(w, cmd, args) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.workers[w].postMessage({ id, cmd, args });
    });
  }

  /** Resolves once every worker thread has started and answers commands (a measurement should not time thread start-up). */
  async ready() {
    await this.all('ready');
  }

  /** Sends a command to every worker; `argsFor(w)` builds each worker's arguments. */
  all(cmd, argsFor = () => undefined) {
    return Promise.all(this.workers.map((_, w) => this.call(w, cmd, argsFor(w))));
  }

  /**
   * Opens `entries.length` authenticated sockets (this call's sockets are numbered from
   * the sockets already open, so connect can be called repeatedly to grow the set).
   * @param {string} url
   * @param {{ cookie: string, userId: number }[]} entries
   * @param {number} [concurrency] pending handshakes per worker
   * @returns {Promise<{ opened: number, failures: Record<string, number>, seconds: number }>}
   */
  async connect(url, entries, concurrency = 64) {
    const started = Date.now();
    const base = this.counts.reduce((a, b) => a + b, 0);
    const shares = this.workers.map(() => /** @type {typeof entries} */ ([]));
    entries.forEach((e, k) => shares[this.place(base + k).worker].push(e));
    const results = /** @type {any[]} */ (
      await this.all('connect', (w) => ({ url, entries: shares[w], concurrency, kind: this.clientKind }))
    );
    shares.forEach((s, w) => (this.counts[w] += s.length));
    /** @type {Record<string, number>} */
    const failures = {};
    for (const r of results) for (const [k, v] of Object.entries(r.failures)) failures[k] = (failures[k] ?? 0) + v;
    return { opened: results.reduce((a, r) => a + r.opened, 0), failures, seconds: (Date.now() - started) / 1000 };
  }

  /**
   * Sends one public probe message from socket 0 and waits until every open socket
   * received it: proof that the whole population is in the room.
   * @param {number} timeoutMs
   * @returns {Promise<{ got: number, open: number, ms: number }>}
   */
  async probe(timeoutMs) {
    const token = this.nextId++;
    const started = Date.now();
    await this.all('probe', (w) => ({ local: w === 0 ? 0 : null, token }));
    let status = { got: 0, open: 0 };
    while (Date.now() - started < timeoutMs) {
      const parts = /** @type {any[]} */ (await this.all('probeStatus', () => ({ token })));
      status = { got: sum(parts, 'got'), open: sum(parts, 'open') };
      if (status.got === status.open) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    return { ...status, ms: Date.now() - started };
  }

  /**
   * Runs one message run: senders from `senderSockets` (global socket numbers),
   * waits for the stop time, drains, and merges every worker's report.
   * @param {{ mode: 'closed' | 'rate' | 'private', senderSockets: number[], partners?: { userId: number, sender: number }[],
   *   inflight: number, ratePerSecond?: number, warmupSeconds: number, seconds: number, drainSeconds: number,
   *   onWindow?: (phase: 'open' | 'close') => void }} p
   */
  async run(p) {
    const numSenders = p.senderSockets.length;
    const intervalUs = p.ratePerSecond ? (1e6 * numSenders) / p.ratePerSecond : 0;
    const startAtUs = nowUs() + 200_000;
    const measureFromUs = startAtUs + p.warmupSeconds * 1e6;
    const stopAtUs = measureFromUs + p.seconds * 1e6;
    const senders = this.workers.map(() => /** @type {any[]} */ ([]));
    p.senderSockets.forEach((socket, global) => {
      const { worker, local } = this.place(socket);
      const partner = p.partners?.[global];
      senders[worker].push({ local, global, partnerUserId: partner?.userId, partnerGlobal: partner?.sender });
    });
    const base = { mode: p.mode, numSenders, inflight: p.inflight, intervalUs, startAtUs, measureFromUs, measureToUs: stopAtUs, stopAtUs };
    const timers = [
      setTimeout(() => p.onWindow?.('open'), (measureFromUs - nowUs()) / 1000),
      setTimeout(() => p.onWindow?.('close'), (stopAtUs - nowUs()) / 1000),
    ];
    const sentParts = /** @type {Record<number, number>[]} */ (await this.all('run', (w) => ({ plan: { ...base, senders: senders[w] } })));
    await new Promise((r) => setTimeout(r, Math.max(0, (stopAtUs - nowUs()) / 1000) + 5));
    timers.forEach(clearTimeout);
    const sent = new Float64Array(numSenders);
    for (const part of sentParts) for (const [g, n] of Object.entries(part)) sent[Number(g)] = n;
    const drainStarted = Date.now();
    const drains = /** @type {any[]} */ (await this.all('drain', () => ({ sent, timeoutMs: p.drainSeconds * 1000 })));
    const drainMs = Date.now() - drainStarted;
    const reports = /** @type {any[]} */ (await this.all('report'));
    const delivery = new Histogram();
    const ack = new Histogram();
    /** @type {Record<string, number>} */
    const closed = {};
    for (const r of reports) {
      delivery.merge(new Histogram(r.deliveryCounts));
      ack.merge(new Histogram(r.ackCounts));
      for (const [k, v] of Object.entries(r.closed)) closed[k] = (closed[k] ?? 0) + v;
    }
    return {
      windowSeconds: p.seconds,
      sent: sent.reduce((a, b) => a + b, 0),
      delivered: sum(reports, 'delivered'),
      deliveredTotal: sum(reports, 'deliveredTotal'),
      acks: sum(reports, 'acks'),
      delivery,
      ack,
      lost: sum(reports, 'lost'),
      reordered: sum(reports, 'reordered'),
      unacked: sum(reports, 'unacked'),
      open: sum(reports, 'open'),
      closed,
      drained: drains.every((d) => d.complete),
      drainMs,
    };
  }

  /** @returns {Promise<{ open: number, closed: Record<string, number> }>} */
  async census() {
    const parts = /** @type {any[]} */ (await this.all('census'));
    /** @type {Record<string, number>} */
    const closed = {};
    for (const r of parts) for (const [k, v] of Object.entries(r.closed)) closed[k] = (closed[k] ?? 0) + v;
    return { open: sum(parts, 'open'), closed };
  }

  /**
   * Handshake loops in every worker (see worker/handshakes.mjs).
   * @param {{ url: string, cookies: string[], concurrency: number, warmupSeconds: number, seconds: number,
   *   onWindow?: (phase: 'open' | 'close') => void }} p
   */
  async handshakes(p) {
    const measureFromUs = nowUs() + p.warmupSeconds * 1e6;
    const stopAtUs = measureFromUs + p.seconds * 1e6;
    const timers = [
      setTimeout(() => p.onWindow?.('open'), (measureFromUs - nowUs()) / 1000),
      setTimeout(() => p.onWindow?.('close'), (stopAtUs - nowUs()) / 1000),
    ];
    const per = Math.max(1, Math.round(p.concurrency / this.workers.length));
    const parts = /** @type {any[]} */ (
      await this.all('handshakes', (w) => ({
        url: p.url,
        cookies: p.cookies.filter((_, i) => i % this.workers.length === w),
        concurrency: per,
        measureFromUs,
        stopAtUs,
      }))
    );
    await new Promise((r) => setTimeout(r, Math.max(0, (stopAtUs - nowUs()) / 1000) + 5));
    timers.forEach(clearTimeout);
    const latency = new Histogram();
    /** @type {Record<string, number>} */
    const failures = {};
    for (const r of parts) {
      latency.merge(new Histogram(r.latencyCounts));
      for (const [k, v] of Object.entries(r.failures)) failures[k] = (failures[k] ?? 0) + v;
    }
    return { ok: sum(parts, 'ok'), failures, latency, windowSeconds: p.seconds };
  }

  /**
   * A reconnect storm (see worker/storm.mjs): every cookie opens a socket at once (at most
   * `concurrency` handshakes pending per worker), each sends `resume`; resolves when every
   * opened socket has settled or `timeoutMs` passed, with the last settle time (process-wide clock).
   * @param {{ url: string, cookies: string[], concurrency: number, expected: number, mode: 'changes' | 'seed', timeoutMs: number,
   *   onConnected?: () => void }} p
   */
  async storm(p) {
    const n = this.workers.length;
    const deadline = Date.now() + p.timeoutMs;
    const connecting = this.all('stormConnect', (w) => ({
      url: p.url,
      cookies: p.cookies.filter((_, i) => i % n === w),
      concurrency: p.concurrency,
      expected: p.expected,
      mode: p.mode,
      deadlineUs: nowUs() + p.timeoutMs * 1000,
    }));
    let connected = false;
    void connecting.then(() => {
      connected = true;
      p.onConnected?.();
    });
    for (;;) {
      await new Promise((r) => setTimeout(r, 50));
      const parts = /** @type {any[]} */ (await this.all('stormStatus'));
      const status = {
        opened: sum(parts, 'opened'),
        open: sum(parts, 'open'),
        settled: sum(parts, 'settled'),
        frames: sum(parts, 'frames'),
        bytes: sum(parts, 'bytes'),
        lastSettledUs: Math.max(...parts.map((x) => x.lastSettledUs)),
        closed: merge(parts.map((x) => x.closed)),
        failures: merge(parts.map((x) => x.failures)),
      };
      const done = connected && status.settled === status.opened;
      if (done || Date.now() > deadline) return { ...status, complete: done, times: await this.stormTimes() };
    }
  }

  /**
   * When the storm's sockets opened and settled (µs on the process-wide clock; settled 0:
   * not settled), each handshake's duration (µs), and the online count each socket knows.
   * @returns {Promise<{ openedAtUs: number[], settledAtUs: number[], handshakeUs: number[], counts: number[] }>}
   */
  async stormTimes() {
    const parts = /** @type {any[]} */ (await this.all('stormTimes'));
    return {
      openedAtUs: parts.flatMap((x) => x.openedAtUs),
      settledAtUs: parts.flatMap((x) => x.settledAtUs),
      handshakeUs: parts.flatMap((x) => x.handshakeUs),
      counts: parts.flatMap((x) => x.counts),
    };
  }

  /** Drops the storm's sockets. */
  async stormClose() {
    await this.all('stormClose');
  }

  /** Drops every socket and ends the worker threads. */
  async close() {
    await Promise.allSettled(this.workers.map((_, w) => this.call(w, 'close')));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** @param {Record<string, number>[]} records */
function merge(records) {
  /** @type {Record<string, number>} */
  const out = {};
  for (const r of records) for (const [k, v] of Object.entries(r)) out[k] = (out[k] ?? 0) + v;
  return out;
}

function sum(parts, key) {
  return parts.reduce((a, r) => a + (r[key] ?? 0), 0);
}
