import { openSocket } from './connections.mjs';
import { Histogram } from '../histogram.mjs';
import { nowUs } from '../clock.mjs';

/**
 * Opens and closes authenticated sockets in `concurrency` loops until `stopAtUs`:
 * each loop opens a socket (upgrade with the session cookie), waits for the open,
 * closes it with a close handshake, waits for the close, and starts over with the
 * next cookie. Handshakes completed inside the window are counted and timed
 * (request sent → `open`).
 * @param {{ url: string, cookies: string[], concurrency: number, measureFromUs: number, stopAtUs: number }} p
 */
export async function runHandshakes(p) {
  const hist = new Histogram();
  let ok = 0;
  /** @type {Record<string, number>} */
  const failures = {};
  let next = 0;
  const lane = async () => {
    while (nowUs() < p.stopAtUs) {
      const cookie = p.cookies[next++ % p.cookies.length];
      const t0 = nowUs();
      const { ws, error } = await openSocket(p.url, cookie);
      const t1 = nowUs();
      const counted = t1 >= p.measureFromUs && t1 < p.stopAtUs;
      if (!ws) {
        if (counted) failures[error ?? 'error'] = (failures[error ?? 'error'] ?? 0) + 1;
        continue;
      }
      if (counted) {
        ok++;
        hist.record(t1 - t0);
      }
      await new Promise((resolve) => {
        ws.once('close', resolve);
        ws.close(1000);
        setTimeout(() => ws.terminate(), 2000).unref();
      });
    }
  };
  await Promise.all(Array.from({ length: p.concurrency }, lane));
  return { ok, failures, latencyCounts: hist.counts };
}
