import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { WsException } from '@nestjs/websockets';
import { ChatError } from '../chat.errors.js';
import { MessageAbusePolicy } from '../limits/message-abuse.policy.js';
import { CloseCode } from '../protocol/close-codes.js';
import { refOf } from '../protocol/frame-parser.js';
import type { ErrorFrame } from '../protocol/frames.js';
import type { ClientConnection } from './client-connection.js';

/**
 * Answers any exception of a message handler with the contract's `error` frame on the
 * socket that sent the frame: `ChatError`s with their code, anything else as `internal`
 * (logged with its stack, never sent to the client). The socket stays open, unless
 * `MessageAbusePolicy` finds it abusive: then it gets that last `error` frame and is
 * closed with 1008.
 */
@Catch()
export class ChatExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(ChatExceptionFilter.name);

  constructor(private readonly abuse: MessageAbusePolicy) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const ws = host.switchToWs();
    const connection = ws.getClient<ClientConnection>();
    const data = ws.getData<unknown>();
    connection.send(this.toFrame(exception, refOf(data)));
    const frameType = (data as { type?: unknown } | null)?.type;
    if (this.abuse.isAbusiveAfter(exception, frameType, connection)) {
      connection.flushAndClose(CloseCode.POLICY_VIOLATION, 'too many rate-limited messages');
    }
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
