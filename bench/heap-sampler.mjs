// Preloaded into the server by bench/soak.mjs (`node --import ./bench/heap-sampler.mjs dist/main.js`),
// never part of the production build: appends process.memoryUsage() as one JSON line to
// $SOAK_HEAP_FILE every $SOAK_HEAP_INTERVAL_MS (default 10 s). The server exposes nothing new.
import { appendFileSync } from 'node:fs';

const file = process.env.SOAK_HEAP_FILE;
const intervalMs = Number(process.env.SOAK_HEAP_INTERVAL_MS ?? 10_000);

if (file) {
  const sample = () => {
    const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
    appendFileSync(file, `${JSON.stringify({ t: Date.now(), rss, heapUsed, heapTotal, external, arrayBuffers })}\n`);
  };
  sample();
  setInterval(sample, intervalMs).unref();
}
