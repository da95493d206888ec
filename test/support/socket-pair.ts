import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import WebSocket, { WebSocketServer, type ClientOptions } from 'ws';

/** A server-side socket and the client socket connected to it over real TCP. */
export interface SocketPair {
  server: WebSocket;
  client: WebSocket;
}

/** A `ws` server on 127.0.0.1:0 that hands out connected socket pairs, for transport unit specs. */
export interface SocketPairs {
  /** Connects one client (with `options`) and resolves both ends once open. */
  connect(options?: ClientOptions): Promise<SocketPair>;
  /** Terminates every socket and closes the server. */
  close(): Promise<void>;
}

/** Listens on a free port; `close` releases everything it opened. */
export async function listenForSocketPairs(): Promise<SocketPairs> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await once(server, 'listening');
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients: WebSocket[] = [];
  return {
    async connect(options) {
      const accepted = once(server, 'connection') as Promise<[WebSocket]>;
      const client = new WebSocket(url, options);
      clients.push(client);
      const [[serverSide]] = await Promise.all([accepted, once(client, 'open')]);
      return { server: serverSide, client };
    },
    async close() {
      for (const client of clients) client.terminate();
      for (const socket of server.clients) socket.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
