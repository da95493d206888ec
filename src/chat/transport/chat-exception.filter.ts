import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { WsException } from '@nestjs/websockets';
import { ChatError } from '../chat.errors.js';
import { RefusedFrames } from '../limits/refused-frames.js';
import { refOf } from '../protocol/frame-parser.js';
import type { ErrorFrame } from '../protocol/frames.js';
import type { ClientConnection } from './client-connection.js';

/**
 * Answers any exception of a message handler with the contract's `error` frame on the
 * socket that sent the frame: `ChatError`s with their code, anything else as `internal`
 * (logged with its stack, never sent to the client). Every refusal (all but `internal`,
 * which is the server's fault) costs the socket one unit of its refused-frame budget
 * (`RefusedFrames`): a socket over it gets that last `error` frame and is closed with 1008.
 */
@Catch()
export class ChatExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(ChatExceptionFilter.name);

  constructor(private readonly refusedFrames: RefusedFrames) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ws = host.switchToWs();
    const connection = ws.getClient<ClientConnection>();
    const frame = this.toFrame(exception, refOf(ws.getData<unknown>()));
    connection.send(frame);
    if (frame.code !== 'internal') this.refusedFrames.refuse(connection);
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
