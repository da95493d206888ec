/**
 * The baseline: a minimal chat server written directly on `ws`, no framework.
 * It speaks forum-chat's public-room broadcast — a client sends
 * `{"type":"chat_message","content"}`, every open socket (the sender's included)
 * receives `{"type":"chat_message","id","content","user_id","nickname","timestamp"}` —
 * serializing each broadcast once and calling `ws.send` once per client.
 * The session cookie is checked before the upgrade is accepted (401 otherwise).
 * No presence, no persistence, no private messages, no rate limit.
 *
 * Env: PORT (default 8090), BASELINE_SESSION_SECRET.
 */
import http from 'node:http';
import { WebSocketServer, WebSocket } from 'ws';
import { SessionCookie } from './session-cookie.mjs';
import { AuthRoutes } from './auth-routes.mjs';

/** Largest inbound frame, as forum-chat's default `CHAT_MAX_FRAME_BYTES`. */
const MAX_FRAME_BYTES = 8192;
/** Longest content, as forum-chat's default `CHAT_MAX_CONTENT_CHARS`. */
const MAX_CONTENT_CHARS = 2000;

const port = Number(process.env.PORT ?? 8090);
const sessions = new SessionCookie(process.env.BASELINE_SESSION_SECRET ?? 'baseline-secret');
const auth = new AuthRoutes(sessions);
const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
let nextId = 1;

const server = http.createServer((req, res) => auth.handle(req, res));

server.on('upgrade', (req, socket, head) => {
  const user = new URL(req.url ?? '/', 'http://x').pathname === '/ws' ? sessions.verify(req.headers.cookie) : null;
  if (!user) {
    socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, user));
});

function onConnection(ws, user) {
  ws.on('message', (data, isBinary) => {
    if (isBinary) return ws.close(1003);
    let frame;
    try {
      frame = JSON.parse(data.toString());
    } catch {
      return ws.send(JSON.stringify({ type: 'error', code: 'invalid_json', message: 'invalid JSON', ref: null }));
    }
    const content = typeof frame?.content === 'string' ? frame.content.trim() : '';
    if (frame?.type !== 'chat_message' || !content || [...content].length > MAX_CONTENT_CHARS) {
      return ws.send(JSON.stringify({ type: 'error', code: 'invalid_message', message: 'invalid', ref: frame?.type ?? null }));
    }
    broadcast({
      type: 'chat_message',
      id: nextId++,
      content,
      user_id: user.id,
      nickname: user.nickname,
      timestamp: new Date().toISOString(),
    });
  });
  ws.on('error', () => ws.terminate());
}

/** Serializes once, then one `ws.send` per open client. */
function broadcast(message) {
  const bytes = Buffer.from(JSON.stringify(message));
  for (const client of wss.clients) {
    if (client.readyState === WebSocket.OPEN) client.send(bytes, { binary: false });
  }
}

server.listen(port, '127.0.0.1', () => console.log(`baseline listening on 127.0.0.1:${port}`));

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    for (const client of wss.clients) client.close(1001);
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 1000).unref();
  });
}
