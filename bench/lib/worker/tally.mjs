import { Histogram } from '../histogram.mjs';

/**
 * What one worker observed during one run: deliveries and acks inside the
 * measured window (counts and latency histograms), and, over the whole run,
 * per-socket sequence checks of every sender's numbered messages.
 */
export class Tally {
  /**
   * @param {number} measureFromUs window start (monotonic µs)
   * @param {number} measureToUs window end
   */
  constructor(measureFromUs, measureToUs) {
    this.from = measureFromUs;
    this.to = measureToUs;
    this.delivered = 0;
    this.acks = 0;
    this.deliveredTotal = 0;
    this.delivery = new Histogram();
    this.ack = new Histogram();
    /** Messages skipped over when a later one of the same sender arrived first. */
    this.gaps = 0;
    /** Messages that arrived again or after a later one. */
    this.reordered = 0;
    /** Frames not sent by this run (presence, online lists, other runs' acks). */
    this.other = 0;
  }

  /**
   * Accounts one delivered message on one socket.
   * @param {import('./connections.mjs').BenchClient} client
   * @param {number} sender
   * @param {number} seq
   * @param {number} sentUs
   * @param {number} nowUs
   */
  delivery_(client, sender, seq, sentUs, nowUs) {
    this.deliveredTotal++;
    if (nowUs >= this.from && nowUs < this.to) {
      this.delivered++;
      this.delivery.record(nowUs - sentUs);
    }
    const next = /** @type {Int32Array} */ (client.next);
    const expected = next[sender];
    if (seq === expected) next[sender] = expected + 1;
    else if (seq > expected) {
      this.gaps += seq - expected;
      next[sender] = seq + 1;
    } else this.reordered++;
  }

  /**
   * Accounts one ack on its sending socket.
   * @param {number} sentUs
   * @param {number} nowUs
   */
  ack_(sentUs, nowUs) {
    if (nowUs >= this.from && nowUs < this.to) {
      this.acks++;
      this.ack.record(nowUs - sentUs);
    }
  }
}
