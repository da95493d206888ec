import { WebSocket } from 'ws';

/** The outcome of one upgrade attempt: 101 with the open socket, or the refusal's status and headers. */
export interface HandshakeOutcome {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  ws: WebSocket | null;
}

/** Attempts one WebSocket upgrade and reports how the server answered it (never rejects on refusal). */
export function tryHandshake(url: string, headers: Record<string, string> = {}): Promise<HandshakeOutcome> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve({ status: 101, headers: {}, ws }));
    ws.once('unexpected-response', (_request, response) => {
      resolve({ status: response.statusCode ?? 0, headers: response.headers, ws: null });
      response.resume();
      ws.terminate();
    });
    ws.once('error', (error) => reject(error));
  });
}
