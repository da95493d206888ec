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
    const fields = { connection_id: connection.id, user_id: connection.user.id };
    this.logger.log('connection opened', fields);
    connection.onClose((code) => {
      this.logger.log('connection closed', { ...fields, code, duration_ms: Date.now() - openedAt });
    });
  }
}
