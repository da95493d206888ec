import { Injectable, Logger } from '@nestjs/common';
import type { ClientConnection } from './client-connection.js';

/**
 * One structured log line when a socket is accepted and one when it closes, with the
 * connection id, the user id and (on close) the close code and how long it was open.
 * It logs identifiers only: never a session id, token, cookie or message content.
 */
@Injectable()
export class ConnectionLog {
  private readonly logger = new Logger('ChatConnection');

  /** Logs `connection opened` now and `connection closed` when the socket closes. */
  track(connection: ClientConnection): void {
    const openedAt = Date.now();
    const { id, user } = connection;
    this.logger.log('connection opened', { connection_id: id, user_id: user.id });
    connection.onClose((code) => {
      this.logger.log('connection closed', {
        connection_id: id,
        user_id: user.id,
        code,
        duration_ms: Date.now() - openedAt,
      });
    });
  }
}
