import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { WebSocketServer } from 'ws';

/** A path Nest's `new URL(url).pathname` returns unchanged: segments of URL-safe characters, none `.` or `..`. */
const PLAIN_PATH = /^(\/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)+$/;
/** A `Host` header Nest's `new URL('ws://' + host)` accepts as it is: a name or IPv4 address, maybe a port. */
const PLAIN_HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$/;

type UpgradeListener = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * Whether an upgrade request is for exactly `path`, decided without building a URL: its
 * target is `path` itself or `path?query`, and its `Host` is plain. Only a plain `path`
 * is ever matched; for anything it does not match, the caller asks Nest's own routing,
 * which then decides exactly as before.
 */
export function isUpgradeFor(request: IncomingMessage, path: string): boolean {
  return isPlainPath(path) && targetsExactly(request, path);
}

const plainPaths = new Map<string, boolean>();

/** `PLAIN_PATH`, tested once per path. */
function isPlainPath(path: string): boolean {
  let plain = plainPaths.get(path);
  if (plain === undefined) plainPaths.set(path, (plain = PLAIN_PATH.test(path)));
  return plain;
}

function targetsExactly(request: IncomingMessage, path: string): boolean {
  const url = request.url;
  if (url === undefined || !url.startsWith(path)) return false;
  if (url.length !== path.length && url.charCodeAt(path.length) !== 0x3f /* ? */) return false;
  const host = request.headers.host;
  return host !== undefined && PLAIN_HOST.test(host);
}

/**
 * Puts a listener in place of Nest's `upgrade` listener on `server` (the one it added last)
 * that hands an upgrade for the chat's path straight to the chat's `ws` server, as Nest's
 * does after parsing the request's URL, and gives every other upgrade to Nest's listener
 * unchanged. Answers the listener in place, to be taken off with the server's others.
 */
export function routeChatUpgradesFirst(
  server: Server,
  chatServer: () => (WebSocketServer & { path?: string }) | undefined,
): UpgradeListener | null {
  const nest = server.listeners('upgrade').at(-1) as UpgradeListener | undefined;
  if (!nest) return null;
  const route: UpgradeListener = (request, socket, head) => {
    const chat = chatServer();
    if (!chat?.path || !isUpgradeFor(request, chat.path)) return nest(request, socket, head);
    try {
      chat.handleUpgrade(request, socket, head, (ws) => chat.emit('connection', ws, request));
    } catch (error) {
      socket.end(`HTTP/1.1 400\r\n${(error as Error).message}`);
    }
  };
  server.removeListener('upgrade', nest);
  server.on('upgrade', route);
  return route;
}
