import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { WsException } from '@nestjs/websockets';
import type { WebSocket } from 'ws';
import { ChatError } from '../chat.errors.js';
import { refOf } from '../protocol/frame-parser.js';
import type { ErrorFrame } from '../protocol/frames.js';
import { ConnectionRegistry } from './connection.registry.js';

/**
 * Answers any exception of a message handler with the contract's `error` frame on the
 * socket that sent the frame: `ChatError`s with their code, anything else as `internal`
 * (logged with its stack, never sent to the client). The socket stays open.
 */
@Catch()
export class ChatExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(ChatExceptionFilter.name);

  constructor(private readonly registry: ConnectionRegistry) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ws = host.switchToWs();
    const connection = this.registry.connectionOf(ws.getClient<WebSocket>());
    if (!connection) return;
    connection.send(this.toFrame(exception, refOf(ws.getData())));
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
