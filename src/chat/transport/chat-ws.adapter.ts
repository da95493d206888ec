import { INestApplicationContext, Logger } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { isObservable, lastValueFrom, Observable } from 'rxjs';
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { RawData, WebSocket, WebSocketServer } from 'ws';
import { RefusedFrames } from '../limits/refused-frames.js';
import { RESOLVED_CHAT_OPTIONS, type ResolvedChatOptions } from '../chat.options.js';
import { ChatMetrics } from '../metrics/chat-metrics.js';
import { BINARY_FRAME, INVALID_FRAME } from '../metrics/frame-labels.js';
import { CloseCode } from '../protocol/close-codes.js';
import { parseClientFrame } from '../protocol/frame-parser.js';
import type { ServerFrame } from '../protocol/frames.js';
import { ClientConnection } from './client-connection.js';
import { ConnectionFactory } from './connection-factory.js';
import { Handshake } from './handshake.js';
import { InboundBacklog } from './inbound-backlog.js';
import { routeChatUpgradesFirst } from './chat-upgrade-route.js';
import { UpgradeCork } from './upgrade-cork.js';

/**
 * The path the chat gateway declares: a key no host gateway uses, by which the adapter
 * recognizes the chat's server (Nest keys its servers by declared path) and serves it on
 * the configured `path` instead.
 */
export const CHAT_GATEWAY_KEY = '/.forum-chat-gateway';

/** The `ws` servers a `ChatWsAdapter` created for the chat (the gateway checks it runs on one). */
const chatServers = new WeakSet<object>();

/** Whether `server` is the chat's server, created by a `ChatWsAdapter`. */
export function isChatServer(server: unknown): boolean {
  return typeof server === 'object' && server !== null && chatServers.has(server);
}

/**
 * The `ws` adapter of an app that embeds the chat. On the chat's own path (option `path`,
 * default `/ws`) it
 * - routes an upgrade for that path to the chat without Nest's URL parsing (`routeChatUpgradesFirst`),
 * - checks every upgrade before a socket exists (`Handshake`: origin, session),
 * - sends the `101` answer with the socket's first frames, in one write (`UpgradeCork`),
 * - hands the gateway each accepted socket as its `ClientConnection` (`ConnectionFactory`):
 *   hooks, handlers and exception filters receive the connection, never the raw socket,
 * - limits inbound frames to `maxFrameBytes` (1009) and refuses binary frames (1003),
 * - parses `{type, …}` frames itself, answering bad JSON and unknown types with `error`,
 * - handles one socket's frames strictly one after another, in the order received,
 * - queues a handler's reply on the socket's own outbound queue,
 * - treats a client's protocol violations that `ws` reports as socket errors (1007
 *   invalid UTF-8, 1009 too big, bad opcodes, …) as the client's fault: the socket is
 *   closed with the code `ws` chose and nothing is logged, so a client cannot flood the log.
 * Every other gateway of the app gets Nest's stock `WsAdapter` unchanged: no chat auth,
 * parsing or limits on its path. Install it with `app.useWebSocketAdapter(new ChatWsAdapter(app))`
 * before `listen`, in place of `WsAdapter`.
 */
export class ChatWsAdapter extends WsAdapter {
  private readonly log = new Logger(ChatWsAdapter.name);
  private creatingChatServer = false;
  private readonly upgradeCork = new UpgradeCork();
  private factory: ConnectionFactory | undefined;
  private metrics: ChatMetrics | undefined;
  private refusedFrames: RefusedFrames | undefined;
  private routes: Map<string, number> | undefined;
  /** The chat's `ws` server by port, for the upgrade route. */
  private readonly chatServerOnPort = new Map<number, WebSocketServer>();
  /** The upgrade routes put in place of Nest's, taken off at `dispose`. */
  private readonly upgradeRoutes: Array<{ server: Server; route: (...args: any[]) => void }> = [];

  constructor(private readonly app: INestApplicationContext) {
    super(app);
  }

  override create(port: number, options: Record<string, unknown> = {}) {
    if (options.path !== CHAT_GATEWAY_KEY) return super.create(port, options);
    const chatOptions = this.app.get<ResolvedChatOptions>(RESOLVED_CHAT_OPTIONS, { strict: false });
    const handshake = this.app.get(Handshake, { strict: false });
    this.creatingChatServer = true;
    try {
      const server = super.create(port, {
        ...options,
        path: chatOptions.path,
        maxPayload: chatOptions.maxFrameBytes,
        perMessageDeflate: false,
        verifyClient: handshake.verify,
      });
      chatServers.add(server);
      this.chatServerOnPort.set(port, server as WebSocketServer);
      // the 101 answer leaves with the connect's first frames, in one write
      server.on('headers', (_headers: string[], request: IncomingMessage) =>
        this.upgradeCork.hold(request.socket as Socket),
      );
      return server;
    } finally {
      this.creatingChatServer = false;
    }
  }

  protected override ensureHttpServerExists(port: number, httpServer?: Server): Server | undefined {
    const known = this.httpServersRegistry.has(port);
    const created = super.ensureHttpServerExists(port, httpServer);
    const server = this.httpServersRegistry.get(port) as Server | undefined;
    if (!known && server) {
      const route = routeChatUpgradesFirst(server, () => this.chatServerOnPort.get(port));
      if (route) this.upgradeRoutes.push({ server, route });
    }
    return created;
  }

  override async dispose(): Promise<void> {
    for (const { server, route } of this.upgradeRoutes.splice(0)) server.off('upgrade', route);
    this.chatServerOnPort.clear();
    await super.dispose();
  }

  override bindErrorHandler(server: { on(event: string, listener: (...args: any[]) => void): unknown }) {
    if (!this.creatingChatServer) return super.bindErrorHandler(server);
    server.on('connection', (ws: WebSocket) =>
      ws.on('error', (error: Error & { code?: unknown }) => {
        if (typeof error.code === 'string' && error.code.startsWith('WS_ERR_')) return;
        this.log.error(`socket error: ${error.stack ?? error}`);
      }),
    );
    server.on('error', (error: Error) => this.log.error(`server error: ${error.stack ?? error}`));
    return server;
  }

  /**
   * On the chat's server, Nest's connection callback gets the socket's `ClientConnection`
   * (a socket without one is dropped); any other server is bound as stock.
   */
  override bindClientConnect(
    server: { on(event: string, listener: (...args: any[]) => void): unknown },
    callback: Function,
  ) {
    if (!isChatServer(server)) return super.bindClientConnect(server, callback);
    const factory = (this.factory ??= this.app.get(ConnectionFactory, { strict: false }))!;
    server.on('connection', (ws: WebSocket, request: IncomingMessage) => {
      const connection = factory.open(ws, request);
      if (!connection) return ws.terminate();
      callback(connection, request);
    });
  }

  override bindClientDisconnect(client: ClientConnection | WebSocket, callback: Function) {
    if (!(client instanceof ClientConnection)) return super.bindClientDisconnect(client, callback);
    // as Nest's stock adapter does with the socket's `close` event: the callback gets the close code
    client.onClose(callback as (code: number) => void);
  }

  override bindMessageHandlers(
    client: ClientConnection | WebSocket,
    handlers: MessageMappingProperties[],
    transform: (data: unknown) => Observable<unknown>,
  ): void {
    if (!(client instanceof ClientConnection)) return super.bindMessageHandlers(client, handlers, transform);
    const connection = client as ClientConnection;
    const metrics = (this.metrics ??= this.app.get(ChatMetrics, { strict: false }))!;
    const refusedFrames = (this.refusedFrames ??= this.app.get(RefusedFrames, { strict: false }))!;
    // Nest hands every client the same handlers (bound to that client): the type → position
    // table is built once, and a socket keeps only its bound callbacks, in table order
    const routes = (this.routes ??= new Map(handlers.map((handler, index) => [handler.message as string, index])));
    const callbacks = callbacksInRouteOrder(handlers, routes);
    connection.ws.on('pong', () => connection.markSeen());
    const backlog = new InboundBacklog(connection.ws);
    connection.ws.on('message', (raw: RawData, isBinary: boolean) => {
      connection.markSeen();
      if (isBinary) {
        metrics.frameIn(BINARY_FRAME);
        connection.close(CloseCode.UNSUPPORTED_DATA, 'binary frames are not supported');
        return;
      }
      if (connection.isClosing) return;
      const parsed = parseClientFrame(raw.toString(), routes);
      metrics.frameIn(parsed.ok ? parsed.type : INVALID_FRAME);
      if (!parsed.ok) {
        // counted now, not in its turn: a flood of garbage is cut before the rest of it is parsed
        if (refusedFrames.isOneTooMany(connection)) {
          connection.send(parsed.error);
          refusedFrames.cut(connection);
          return;
        }
        connection.enqueueInbound(() => connection.send(parsed.error));
        return;
      }
      const route = callbacks[routes.get(parsed.type)!];
      backlog.received();
      connection.enqueueInbound(async () => {
        if (connection.isClosing) return backlog.handled();
        const started = performance.now();
        try {
          const reply = await settle(route(parsed.data, parsed.type));
          if (reply) connection.send(reply as ServerFrame);
        } catch (error) {
          this.log.error(`unhandled error in "${parsed.type}" handler: ${(error as Error).stack ?? error}`);
          connection.send({ type: 'error', code: 'internal', message: 'internal error', ref: parsed.type });
        } finally {
          metrics.handled(parsed.type, (performance.now() - started) / 1000);
          backlog.handled();
        }
      });
    });
  }
}

/** One client's handler callbacks, each at its type's position in `routes` (what a socket keeps of Nest's handlers). */
function callbacksInRouteOrder(
  handlers: MessageMappingProperties[],
  routes: Map<string, number>,
): MessageMappingProperties['callback'][] {
  const callbacks = new Array<MessageMappingProperties['callback']>(routes.size);
  for (const handler of handlers) callbacks[routes.get(handler.message as string)!] = handler.callback;
  return callbacks;
}

/** A handler's result as a value: awaited, and the last value of an observable. */
async function settle(result: unknown): Promise<unknown> {
  const value = await result;
  return isObservable(value) ? lastValueFrom(value, { defaultValue: undefined }) : value;
}
