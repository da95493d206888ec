/**
 * A log-linear histogram of non-negative integer values (microseconds here):
 * exact below 128, within 1/64 (~1.6 %) above, up to 2^31. Fixed size, no
 * allocation per record, mergeable across worker threads by adding counts.
 */
export class Histogram {
  static SIZE = 1664;

  /** @param {Float64Array} [counts] counts to adopt (e.g. received from a worker) */
  constructor(counts) {
    this.counts = counts ?? new Float64Array(Histogram.SIZE);
  }

  /** @param {number} value */
  record(value) {
    let v = value < 0 ? 0 : value > 0x7fffffff ? 0x7fffffff : value | 0;
    let idx = v;
    if (v >= 128) {
      const shift = 31 - Math.clz32(v) - 6;
      idx = shift * 64 + (v >>> shift);
    }
    this.counts[idx]++;
  }

  /** @param {Histogram} other adds its counts into this one */
  merge(other) {
    for (let i = 0; i < Histogram.SIZE; i++) this.counts[i] += other.counts[i];
  }

  /** @returns {number} how many values were recorded */
  get total() {
    let n = 0;
    for (let i = 0; i < Histogram.SIZE; i++) n += this.counts[i];
    return n;
  }

  /**
   * @param {number} q quantile in [0, 1]
   * @returns {number} the value at that quantile (bucket midpoint), NaN when empty
   */
  quantile(q) {
    const total = this.total;
    if (total === 0) return NaN;
    const rank = Math.max(1, Math.ceil(q * total));
    let seen = 0;
    for (let i = 0; i < Histogram.SIZE; i++) {
      seen += this.counts[i];
      if (seen >= rank) return bucketValue(i);
    }
    return bucketValue(Histogram.SIZE - 1);
  }
}

function bucketValue(idx) {
  if (idx < 128) return idx;
  const shift = Math.floor(idx / 64) - 1;
  const m = idx - shift * 64;
  return m * 2 ** shift + 2 ** shift / 2;
}
