import { INestApplicationContext, Logger } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { isObservable, lastValueFrom, Observable } from 'rxjs';
import type { RawData, WebSocket } from 'ws';
import { CHAT_OPTIONS, ResolvedChatOptions } from '../chat.options.js';
import { ChatMetrics } from '../metrics/chat-metrics.js';
import { BINARY_FRAME, INVALID_FRAME } from '../metrics/frame-types.js';
import { CloseCode } from '../protocol/close-codes.js';
import { parseClientFrame } from '../protocol/frame-parser.js';
import type { ServerFrame } from '../protocol/frames.js';
import { ConnectionRegistry } from './connection.registry.js';
import { Handshake } from './handshake.js';

/**
 * The `ws` adapter of the chat. On top of Nest's `WsAdapter` it
 * - checks every upgrade before a socket exists (`Handshake`: origin, session),
 * - limits inbound frames to `maxFrameBytes` (1009) and refuses binary frames (1003),
 * - parses `{type, …}` frames itself, answering bad JSON and unknown types with `error`,
 * - handles one socket's frames strictly one after another, in the order received,
 * - queues a handler's reply on the socket's own outbound queue,
 * - treats a client's protocol violations that `ws` reports as socket errors (1007
 *   invalid UTF-8, 1009 too big, bad opcodes, …) as the client's fault: the socket is
 *   closed with the code `ws` chose and nothing is logged, so a client cannot flood the log.
 * Install it with `app.useWebSocketAdapter(new ChatWsAdapter(app))` before `listen`.
 */
export class ChatWsAdapter extends WsAdapter {
  private readonly log = new Logger(ChatWsAdapter.name);

  constructor(private readonly app: INestApplicationContext) {
    super(app);
  }

  override create(port: number, options: Record<string, unknown> = {}) {
    const chatOptions = this.app.get<ResolvedChatOptions>(CHAT_OPTIONS, { strict: false });
    const handshake = this.app.get(Handshake, { strict: false });
    return super.create(port, {
      ...options,
      maxPayload: chatOptions.maxFrameBytes,
      perMessageDeflate: false,
      verifyClient: handshake.verify,
    });
  }

  override bindErrorHandler(server: { on(event: string, listener: (...args: any[]) => void): unknown }) {
    server.on('connection', (ws: WebSocket) =>
      ws.on('error', (error: Error & { code?: unknown }) => {
        if (typeof error.code === 'string' && error.code.startsWith('WS_ERR_')) return;
        this.log.error(`socket error: ${error.stack ?? error}`);
      }),
    );
    server.on('error', (error: Error) => this.log.error(`server error: ${error.stack ?? error}`));
    return server;
  }

  override bindMessageHandlers(
    client: WebSocket,
    handlers: MessageMappingProperties[],
    transform: (data: unknown) => Observable<unknown>,
  ): void {
    const registry = this.app.get(ConnectionRegistry, { strict: false });
    const metrics = this.app.get(ChatMetrics, { strict: false });
    const connection = registry.connectionOf(client);
    if (!connection) {
      client.terminate();
      return;
    }
    const routes = new Map(handlers.map((handler) => [handler.message as string, handler.callback]));
    const knownTypes = new Set(routes.keys());
    client.on('pong', () => {
      connection.lastSeenAt = Date.now();
    });
    client.on('message', (raw: RawData, isBinary: boolean) => {
      connection.lastSeenAt = Date.now();
      if (isBinary) {
        metrics.frameIn(BINARY_FRAME);
        connection.close(CloseCode.UNSUPPORTED_DATA, 'binary frames are not supported');
        return;
      }
      if (connection.isClosing) return;
      const parsed = parseClientFrame(raw.toString(), knownTypes);
      metrics.frameIn(parsed.ok ? parsed.type : INVALID_FRAME);
      if (!parsed.ok) {
        connection.inbound = connection.inbound.then(() => connection.send(parsed.error));
        return;
      }
      const route = routes.get(parsed.type)!;
      connection.inbound = connection.inbound.then(async () => {
        if (connection.isClosing) return;
        const started = performance.now();
        try {
          const reply = await settle(transform(route(parsed.data, parsed.type)));
          if (reply) connection.send(reply as ServerFrame);
        } catch (error) {
          this.log.error(`unhandled error in "${parsed.type}" handler: ${(error as Error).stack ?? error}`);
          connection.send({ type: 'error', code: 'internal', message: 'internal error', ref: parsed.type });
        } finally {
          metrics.handled(parsed.type, (performance.now() - started) / 1000);
        }
      });
    });
  }
}

async function settle(result: unknown): Promise<unknown> {
  const value = await result;
  return isObservable(value) ? lastValueFrom(value, { defaultValue: undefined }) : value;
}
