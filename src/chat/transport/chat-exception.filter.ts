import { ArgumentsHost, Catch, ExceptionFilter, Inject, Logger } from '@nestjs/common';
import { WsException } from '@nestjs/websockets';
import type { WebSocket } from 'ws';
import { ChatError } from '../chat.errors.js';
import { CHAT_OPTIONS, type ResolvedChatOptions } from '../chat.options.js';
import { ABUSE_BURST_FACTOR, SustainedAbuse } from '../limits/sustained-abuse.js';
import { CloseCode } from '../protocol/close-codes.js';
import { refOf } from '../protocol/frame-parser.js';
import type { ErrorFrame } from '../protocol/frames.js';
import { ConnectionRegistry } from './connection.registry.js';

/** Frame types whose `rate_limited` refusals count toward sustained abuse. */
const MESSAGE_TYPES: ReadonlySet<unknown> = new Set(['chat_message', 'private_message']);

/**
 * Answers any exception of a message handler with the contract's `error` frame on the
 * socket that sent the frame: `ChatError`s with their code, anything else as `internal`
 * (logged with its stack, never sent to the client). The socket stays open, except for
 * sustained abuse: a socket whose messages were refused as `rate_limited` more than
 * 3 × burst times within 10 s gets that last `error` frame and is closed with 1008.
 */
@Catch()
export class ChatExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(ChatExceptionFilter.name);
  private readonly abuse = new SustainedAbuse();

  constructor(
    private readonly registry: ConnectionRegistry,
    @Inject(CHAT_OPTIONS) private readonly options: ResolvedChatOptions,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ws = host.switchToWs();
    const connection = this.registry.connectionOf(ws.getClient<WebSocket>());
    if (!connection) return;
    const data = ws.getData<unknown>();
    connection.send(this.toFrame(exception, refOf(data)));
    if (this.isAbusive(exception, data, connection)) {
      connection.flush();
      connection.close(CloseCode.POLICY_VIOLATION, 'too many rate-limited messages');
    }
  }

  private isAbusive(exception: unknown, data: unknown, connection: object): boolean {
    const burst = this.options.rateLimit?.burst;
    if (!burst || !(exception instanceof ChatError) || exception.code !== 'rate_limited') return false;
    if (!MESSAGE_TYPES.has((data as { type?: unknown } | null)?.type)) return false;
    return this.abuse.record(connection, ABUSE_BURST_FACTOR * burst);
  }

  private toFrame(exception: unknown, ref: string | null): ErrorFrame {
    if (exception instanceof ChatError) {
      const frame: ErrorFrame = { type: 'error', code: exception.code, message: exception.message, ref };
      if (exception.retryAfterMs !== undefined) frame.retry_after_ms = exception.retryAfterMs;
      return frame;
    }
    if (exception instanceof WsException) {
      const error = exception.getError();
      const message = typeof error === 'string' ? error : 'invalid message';
      return { type: 'error', code: 'invalid_message', message, ref };
    }
    this.logger.error(`handler failed: ${(exception as Error)?.stack ?? String(exception)}`);
    return { type: 'error', code: 'internal', message: 'internal error', ref };
  }
}
