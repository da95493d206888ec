import type { WebSocket } from 'ws';

/**
 * Frames one socket may have received and not yet handled before the server stops
 * reading from it; TCP flow control then holds the sender back, so a client that sends
 * faster than its frames are handled makes the server parse no more than this many ahead.
 * Reading resumes once the backlog is down to `INBOUND_RESUME_AT`, which must be lower.
 */
export const INBOUND_PAUSE_AT = 64;
export const INBOUND_RESUME_AT = 16;

/**
 * The count of one socket's frames received and not yet handled, pausing and resuming
 * the socket's reading at the marks above.
 */
export class InboundBacklog {
  private waiting = 0;

  constructor(private readonly ws: Pick<WebSocket, 'pause' | 'resume' | 'isPaused'>) {}

  /** A frame was received and queued for handling. */
  received(): void {
    this.waiting += 1;
    if (this.waiting === INBOUND_PAUSE_AT) this.ws.pause();
  }

  /** A queued frame was handled (or dropped). */
  handled(): void {
    this.waiting -= 1;
    if (this.waiting === INBOUND_RESUME_AT && this.ws.isPaused) this.ws.resume();
  }
}
