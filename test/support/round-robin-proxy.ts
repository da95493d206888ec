import { createServer, Server, Socket, connect } from 'node:net';

/** A TCP proxy on 127.0.0.1 that sends each new connection to the next port in turn. */
export interface RoundRobinProxy {
  port: number;
  close(): Promise<void>;
}

/**
 * Starts a round-robin TCP proxy in front of `ports` (a stand-in for a load balancer in
 * tests: every WebSocket is a new connection, so consecutive sockets land on different
 * instances).
 */
export async function startRoundRobinProxy(ports: number[]): Promise<RoundRobinProxy> {
  let next = 0;
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(ports[next++ % ports.length], '127.0.0.1');
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
