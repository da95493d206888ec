// A hostile client in its own process: one account floods the chat with frames it knows
// will be refused, from several sockets, reconnecting whenever one is closed.
// Usage: node refused-frame-flooder.mjs <wsUrl> <cookie> <sockets>
// Prints "flooding" once each of its first sockets has been answered (opened, or refused:
// an account in debt is refused new sockets), then one JSON line of counts on SIGTERM.
import { WebSocket } from 'ws';

const [url, cookie, socketCount] = process.argv.slice(2);
const FRAMES_PER_TURN = 50;
const garbage = [
  '{not json',
  JSON.stringify({ type: 'no_such_type' }),
  JSON.stringify({ type: 'private_message', to: 987654321, content: 'hello?' }),
  JSON.stringify({ type: 'typing', to: 987654321, active: true }),
  JSON.stringify({ type: 'history', with: 987654321 }),
  JSON.stringify({ type: 'chat_message', content: 42 }),
];
const counts = { sent: 0, opened: 0, closes: {} };
let stopping = false;
let firstAnswers = 0;

function open(first = false) {
  const ws = new WebSocket(url, { headers: { cookie } });
  let timer;
  let answered = !first;
  const answer = () => {
    if (answered) return;
    answered = true;
    if ((firstAnswers += 1) === Number(socketCount)) process.stdout.write('flooding\n');
  };
  ws.on('open', () => {
    counts.opened += 1;
    answer();
    const blast = () => {
      if (ws.readyState !== WebSocket.OPEN) return;
      // only while the socket drains: the point is the server's work, not this process's memory
      if (ws.bufferedAmount < 256 * 1024)
        for (let i = 0; i < FRAMES_PER_TURN; i++) ws.send(garbage[(counts.sent += 1) % garbage.length]);
      timer = setImmediate(blast);
    };
    blast();
  });
  ws.on('message', () => undefined);
  ws.on('error', () => undefined);
  ws.on('unexpected-response', (_req, res) => {
    answer();
    res.resume();
    ws.terminate();
    counts.closes[`http_${res.statusCode}`] = (counts.closes[`http_${res.statusCode}`] ?? 0) + 1;
  });
  ws.on('close', (code) => {
    answer();
    clearImmediate(timer);
    counts.closes[code] = (counts.closes[code] ?? 0) + 1;
    if (!stopping) setTimeout(open, 50);
  });
}

for (let i = 0; i < Number(socketCount); i++) open(true);
process.on('SIGTERM', () => {
  stopping = true;
  process.stdout.write(`${JSON.stringify(counts)}\n`);
  process.exit(0);
});
