/**
 * A load-generator worker thread. It owns a share of the benchmark sockets and
 * answers the coordinator's commands, one reply per command (`{ id, result }` or
 * `{ id, error }`). It never touches anything but 127.0.0.1 URLs it is given.
 */
import { parentPort } from 'node:worker_threads';
import { openAll, census, dropAll } from './connections.mjs';
import { Traffic } from './traffic.mjs';
import { runHandshakes } from './handshakes.mjs';
import { StormShare } from './storm.mjs';

const traffic = new Traffic();
let storm = new StormShare();
/** @type {Float64Array | number[]} */
let lastSent = [];

/** @type {Record<string, (args: any) => Promise<unknown> | unknown>} */
const commands = {
  ready() {
    return null;
  },
  async connect({ url, entries, concurrency, kind }) {
    const started = Date.now();
    const { clients, failures } = await openAll(url, entries, concurrency, traffic.onFrame, kind);
    traffic.clients.push(...clients);
    return { opened: clients.filter((c) => c.open).length, failures, ms: Date.now() - started };
  },
  probe({ local, token }) {
    if (local !== null) traffic.sendProbe(local, token);
    return null;
  },
  probeStatus({ token }) {
    return traffic.probeStatus(token);
  },
  run({ plan }) {
    return traffic.run(plan);
  },
  async drain({ sent, timeoutMs }) {
    lastSent = sent;
    const deadline = Date.now() + timeoutMs;
    while (!traffic.complete(sent) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return { complete: traffic.complete(sent) };
  },
  report() {
    return { ...traffic.report(lastSent), ...census(traffic.clients) };
  },
  census() {
    return census(traffic.clients);
  },
  handshakes(p) {
    return runHandshakes(p);
  },
  stormConnect(p) {
    return storm.connect(p);
  },
  stormStatus() {
    return storm.status();
  },
  stormTimes() {
    return storm.times();
  },
  stormClose() {
    storm.close();
    storm = new StormShare();
    return null;
  },
  close() {
    storm.close();
    dropAll(traffic.clients);
    traffic.clients = [];
    return null;
  },
};

parentPort?.on('message', async ({ id, cmd, args }) => {
  try {
    const result = await commands[cmd](args);
    parentPort?.postMessage({ id, result });
  } catch (err) {
    parentPort?.postMessage({ id, error: String(/** @type {Error} */ (err)?.stack ?? err) });
  }
});
