import { Kind, frameKind, readMarker, marker } from '../frame-scan.mjs';
import { nowUs } from '../clock.mjs';
import { Tally } from './tally.mjs';

const TAG_PUBLIC = 116; // 't'
const TAG_PRIVATE = 112; // 'p'
const TAG_PROBE = 114; // 'r'

/**
 * @typedef {{ mode: 'closed' | 'rate' | 'private', numSenders: number,
 *   senders: { local: number, global: number, partnerUserId?: number, partnerGlobal?: number }[],
 *   inflight: number, intervalUs: number, startAtUs: number, measureFromUs: number,
 *   measureToUs: number, stopAtUs: number }} RunPlan
 *
 * `closed`: each sender keeps `inflight` public messages outstanding, sending the next
 *   when its own message comes back. `rate`: each sender sends one public message every
 *   `intervalUs`. `private`: each sender keeps `inflight` private messages to its partner
 *   outstanding, sending the next on `ack`. Nothing is sent at or after `stopAtUs`.
 */

/**
 * The traffic of one worker: frame accounting for every socket, and the send
 * loops of the sockets that are senders in the current run.
 */
export class Traffic {
  constructor() {
    /** @type {import('./connections.mjs').BenchClient[]} */
    this.clients = [];
    /** @type {RunPlan | null} */
    this.plan = null;
    this.tally = new Tally(0, 0);
    this.out = new Float64Array(4);
    /** @type {NodeJS.Timeout[]} */
    this.timers = [];
    this.onFrame = this.onFrame.bind(this);
  }

  /**
   * Every frame of every socket goes through here.
   * @param {import('./connections.mjs').BenchClient} client
   * @param {Buffer} data
   */
  onFrame(client, data) {
    const kind = frameKind(data);
    const out = this.out;
    if (kind === Kind.OTHER || !readMarker(data, kind, out)) {
      this.tally.other++;
      return;
    }
    const tag = out[0];
    if (tag === TAG_PROBE) {
      client.probeToken = out[2];
      return;
    }
    const plan = this.plan;
    if (!plan || client.next === null || (tag !== TAG_PUBLIC && tag !== TAG_PRIVATE) || out[1] >= plan.numSenders) {
      this.tally.other++;
      return;
    }
    const now = nowUs();
    if (kind === Kind.ACK) {
      if (client.sender !== out[1]) return;
      client.acked++;
      client.inflight--;
      this.tally.ack_(out[3], now);
      if (plan.mode === 'private' && now < plan.stopAtUs) this.#sendPrivate(client);
      return;
    }
    this.tally.delivery_(client, out[1], out[2], out[3], now);
    if (plan.mode === 'closed' && client.sender === out[1]) {
      client.inflight--;
      if (now < plan.stopAtUs) this.#sendPublic(client);
    }
  }

  /**
   * Sends one public probe message from `clients[local]`; every socket records `token`.
   * @param {number} local
   * @param {number} token
   */
  sendProbe(local, token) {
    const c = this.clients[local];
    c.ws?.send(`{"type":"chat_message","content":"${marker('r', 0, token, 0)}"}`);
  }

  /**
   * @param {number} token
   * @returns {{ got: number, open: number }} open sockets that have seen the probe
   */
  probeStatus(token) {
    let got = 0;
    let open = 0;
    for (const c of this.clients) {
      if (!c.open) continue;
      open++;
      if (c.probeToken === token) got++;
    }
    return { got, open };
  }

  /**
   * Starts a run; resolves at `stopAtUs` with how many messages each local sender sent.
   * @param {RunPlan} plan
   * @returns {Promise<Record<number, number>>} global sender → messages sent
   */
  run(plan) {
    this.plan = plan;
    this.tally = new Tally(plan.measureFromUs, plan.measureToUs);
    for (const c of this.clients) {
      c.next = new Int32Array(plan.numSenders);
      c.sender = -1;
      c.sent = c.acked = c.inflight = 0;
      c.expectFrom = plan.mode === 'private' ? [] : null;
    }
    for (const s of plan.senders) {
      const c = this.clients[s.local];
      c.sender = s.global;
      if (plan.mode === 'private') {
        c.partnerUserId = /** @type {number} */ (s.partnerUserId);
        /** @type {number[]} */ (c.expectFrom).push(s.global, /** @type {number} */ (s.partnerGlobal));
      }
    }
    // Private mode: a socket hears from its own user and from the partner, who may live in another worker.
    this.#at(plan.startAtUs, () => {
      for (const s of plan.senders) {
        const c = this.clients[s.local];
        if (plan.mode === 'rate') this.#rateLoop(c, plan.startAtUs + (plan.intervalUs * s.global) / plan.numSenders);
        else for (let i = 0; i < plan.inflight; i++) plan.mode === 'closed' ? this.#sendPublic(c) : this.#sendPrivate(c);
      }
    });
    return new Promise((resolve) =>
      this.#at(plan.stopAtUs + 1, () => {
        /** @type {Record<number, number>} */
        const sent = {};
        for (const s of plan.senders) sent[s.global] = this.clients[s.local].sent;
        resolve(sent);
      }),
    );
  }

  /**
   * Whether every open socket has received every message it is owed.
   * @param {Float64Array | number[]} sent global sender → messages sent
   */
  complete(sent) {
    for (const c of this.clients) {
      if (!c.open || c.next === null) continue;
      if (c.expectFrom === null) {
        for (let s = 0; s < sent.length; s++) if (c.next[s] < sent[s]) return false;
      } else {
        for (const s of c.expectFrom) if (c.next[s] < sent[s]) return false;
      }
      if (this.plan?.mode === 'private' && c.sender >= 0 && c.acked < c.sent) return false;
    }
    return true;
  }

  /**
   * Final accounting of the run, after the drain.
   * @param {Float64Array | number[]} sent
   */
  report(sent) {
    let missing = 0;
    let unacked = 0;
    for (const c of this.clients) {
      if (!c.open || c.next === null) continue;
      const from = c.expectFrom ?? Array.from({ length: sent.length }, (_, i) => i);
      for (const s of from) missing += Math.max(0, sent[s] - c.next[s]);
      if (this.plan?.mode === 'private' && c.sender >= 0) unacked += c.sent - c.acked;
    }
    for (const t of this.timers) clearTimeout(t);
    const t = this.tally;
    return {
      delivered: t.delivered,
      deliveredTotal: t.deliveredTotal,
      acks: t.acks,
      deliveryCounts: t.delivery.counts,
      ackCounts: t.ack.counts,
      lost: t.gaps + missing,
      reordered: t.reordered,
      unacked,
      other: t.other,
    };
  }

  #sendPublic(c) {
    const now = nowUs();
    c.ws?.send(`{"type":"chat_message","content":"${marker('t', c.sender, c.sent++, now)}"}`);
    c.inflight++;
  }

  #sendPrivate(c) {
    const m = marker('p', c.sender, c.sent++, nowUs());
    c.ws?.send(`{"type":"private_message","to":${c.partnerUserId},"content":"${m}","client_id":"${m}"}`);
    c.inflight++;
  }

  #rateLoop(c, firstDueUs) {
    const plan = /** @type {RunPlan} */ (this.plan);
    let due = firstDueUs;
    const tick = () => {
      const now = nowUs();
      while (due <= now && due < plan.stopAtUs) {
        if (c.open) this.#sendPublic(c);
        due += plan.intervalUs;
      }
      if (due < plan.stopAtUs) this.#at(due, tick);
    };
    this.#at(due, tick);
  }

  #at(whenUs, fn) {
    this.timers.push(setTimeout(fn, Math.max(0, (whenUs - nowUs()) / 1000)));
  }
}
