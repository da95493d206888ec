import { INestApplicationContext, Logger } from '@nestjs/common';
import { WsAdapter } from '@nestjs/platform-ws';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { isObservable, lastValueFrom, Observable } from 'rxjs';
import type { RawData, WebSocket } from 'ws';
import { CHAT_OPTIONS, ResolvedChatOptions } from '../chat.options.js';
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
 * - queues a handler's reply on the socket's own outbound queue.
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

  override bindMessageHandlers(
    client: WebSocket,
    handlers: MessageMappingProperties[],
    transform: (data: unknown) => Observable<unknown>,
  ): void {
    const registry = this.app.get(ConnectionRegistry, { strict: false });
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
        connection.close(CloseCode.UNSUPPORTED_DATA, 'binary frames are not supported');
        return;
      }
      if (connection.isClosing) return;
      const parsed = parseClientFrame(raw.toString(), knownTypes);
      if (!parsed.ok) {
        connection.inbound = connection.inbound.then(() => connection.send(parsed.error));
        return;
      }
      const route = routes.get(parsed.type)!;
      connection.inbound = connection.inbound.then(async () => {
        if (connection.isClosing) return;
        try {
          const reply = await settle(transform(route(parsed.data, parsed.type)));
          if (reply) connection.send(reply as ServerFrame);
        } catch (error) {
          this.log.error(`unhandled error in "${parsed.type}" handler: ${(error as Error).stack ?? error}`);
          connection.send({ type: 'error', code: 'internal', message: 'internal error', ref: parsed.type });
        }
      });
    });
  }
}

async function settle(result: unknown): Promise<unknown> {
  const value = await result;
  return isObservable(value) ? lastValueFrom(value, { defaultValue: undefined }) : value;
}
