/**
 * `npm run build && node bench/broadcast-walk.mjs [sockets=3000] [rounds=30]`: the server's CPU
 * per delivery of one broadcast to every socket, forum-chat's outbound path against the
 * baseline's, in one process and interleaved, so that other work on the machine weighs on
 * both alike. forum-chat: one encoded frame queued on every `ClientConnection` (its
 * `OutboundFlusher` writes it in the next turn); baseline: `ws.send` of one Buffer per socket,
 * as `baseline/server.mjs` does. The sockets are real (127.0.0.1), accepted by a `ws` server
 * here, and read by `ws` clients in a child process (whose CPU is not counted). Prints the
 * median over the rounds of CPU µs per delivery (user + system, `process.cpuUsage`) and the
 * ratio; the wall time per delivery is shown but depends on the machine's load.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, WebSocket } from 'ws';

const sockets = Number(process.argv[2] ?? 3000);
const rounds = Number(process.argv[3] ?? 30);

if (process.argv[2] === '--clients') {
  const [url, n] = [process.argv[3], Number(process.argv[4])];
  let open = 0;
  for (let i = 0; i < n; i++) {
    const ws = new WebSocket(url);
    ws.on('error', () => {});
    await new Promise((resolve) => ws.once('open', resolve));
    open++;
  }
  process.send?.(open);
  process.on('message', () => process.exit(0));
} else {
  const dist = new URL('../dist/chat/transport/', import.meta.url);
  const { ClientConnection } = await import(new URL('client-connection.js', dist).href);
  const { OutboundFlusher } = await import(new URL('outbound-flusher.js', dist).href);
  const { encodeTextFrameOf } = await import(new URL('text-frame.js', dist).href);

  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise((resolve) => wss.once('listening', resolve));
  /** @type {WebSocket[]} */
  const accepted = [];
  wss.on('connection', (ws) => accepted.push(ws));
  const url = `ws://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (wss.address()).port}`;
  const child = fork(fileURLToPath(import.meta.url), ['--clients', url, String(sockets)]);
  await new Promise((resolve) => child.once('message', resolve));
  while (accepted.length < sockets) await new Promise((resolve) => setTimeout(resolve, 10));

  const flusher = new OutboundFlusher();
  const principal = { id: 1, nickname: 'bench', sessionKey: null, expiresAt: null };
  const connections = accepted.map(
    (ws) =>
      new ClientConnection(ws, principal, new Set(), { frames: 100_000, bytes: 1 << 30 }, flusher, () => {
        throw new Error('cut off as a slow consumer');
      }),
  );
  const payload = JSON.stringify({
    type: 'chat_message',
    id: 123456,
    content: 't:3:1234:123456789012',
    user_id: 17,
    nickname: 'bench_00017',
    timestamp: new Date().toISOString(),
  });
  const ways = {
    'forum-chat': () => {
      const frame = encodeTextFrameOf(payload);
      for (const connection of connections) connection.sendFrame(frame);
    },
    baseline: () => {
      const bytes = Buffer.from(payload);
      for (const ws of accepted) if (ws.readyState === WebSocket.OPEN) ws.send(bytes, { binary: false });
    },
  };
  /** @type {Record<string, { cpu: number, wall: number }[]>} */
  const samples = { 'forum-chat': [], baseline: [] };
  const turn = () => new Promise((resolve) => setImmediate(resolve));
  for (let r = 0; r < rounds; r++) {
    for (const name of r % 2 ? ['forum-chat', 'baseline'] : ['baseline', 'forum-chat']) {
      await new Promise((resolve) => setTimeout(resolve, 50)); // the clients read the previous round
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      ways[name]();
      await turn(); // forum-chat writes in the next turn
      const wall = performance.now() - t0;
      await turn(); // write callbacks
      const cpu = process.cpuUsage(cpu0);
      samples[name].push({ cpu: (cpu.user + cpu.system) / sockets, wall: (wall * 1000) / sockets });
    }
  }
  const median = (values) => values.sort((a, b) => a - b)[values.length >> 1];
  const figures = Object.fromEntries(
    Object.entries(samples).map(([name, s]) => [
      name,
      { cpu: median(s.map((x) => x.cpu)), wall: median(s.map((x) => x.wall)) },
    ]),
  );
  for (const [name, f] of Object.entries(figures))
    console.log(`${name.padEnd(10)} CPU ${f.cpu.toFixed(2)} µs/delivery, wall ${f.wall.toFixed(2)} µs/delivery`);
  console.log(
    `forum-chat / baseline CPU per delivery: ${(figures['forum-chat'].cpu / figures.baseline.cpu).toFixed(3)}×`,
  );
  child.send('stop');
  for (const ws of accepted) ws.terminate();
  wss.close();
}
