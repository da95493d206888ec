import type { Socket } from 'node:net';
import { WebSocket } from 'ws';
import type { ChatPrincipal } from '../auth/chat-principal.js';
import type { ChatClient } from '../chat-client.js';
import { CloseCode } from '../protocol/close-codes.js';
import type { PublicUser, ServerFrame } from '../protocol/frames.js';
import type { Flushable, OutboundFlusher } from './outbound-flusher.js';

const TEXT_FRAME = { binary: false, compress: false, fin: true } as const;

/** How long a closing socket may take to finish the close handshake before it is dropped. */
const CLOSE_GRACE_MS = 5_000;

let nextConnectionId = 1;

/**
 * The owner of one accepted socket: identity, the outbound queue and its limit, the
 * inbound order, the liveness clock. Frames queued with `sendBytes` are written in queue
 * order, batched per event-loop turn under one cork. When more than `sendQueueLimit`
 * frames wait (queued here or handed to the OS but not yet accepted by it) the socket is
 * closed with 1013 at once, so a slow reader never holds anyone else up.
 */
export class ClientConnection implements ChatClient, Flushable {
  readonly id = nextConnectionId++;
  readonly user: PublicUser;
  present = true;
  /** Epoch ms of the last frame or pong received. */
  lastSeenAt = Date.now();
  /** Tail of this socket's inbound handling: frames are handled one after the other. */
  inbound: Promise<void> = Promise.resolve();
  private outbox: Buffer[] = [];
  private inFlight = 0;
  private closing = false;
  private readonly socket: Socket | undefined;

  constructor(
    readonly ws: WebSocket,
    readonly principal: ChatPrincipal,
    private readonly sendQueueLimit: number,
    private readonly flusher: OutboundFlusher,
    private readonly onSlowConsumer: (connection: ClientConnection) => void,
  ) {
    this.user = { id: principal.id, nickname: principal.nickname };
    this.socket = (ws as unknown as { _socket?: Socket })._socket;
  }

  get isClosing(): boolean {
    return this.closing || this.ws.readyState !== WebSocket.OPEN;
  }

  /** Frames waiting: queued here plus handed to the OS but not yet written. */
  get waitingFrames(): number {
    return this.outbox.length + this.inFlight;
  }

  send(frame: ServerFrame): void {
    this.sendBytes(Buffer.from(JSON.stringify(frame)));
  }

  /** Queues an already serialized frame (the same buffer may go to many sockets). */
  sendBytes(bytes: Buffer): void {
    if (this.closing) return;
    if (this.outbox.length + this.inFlight >= this.sendQueueLimit) {
      this.onSlowConsumer(this);
      this.close(CloseCode.TRY_AGAIN_LATER, 'slow consumer');
      return;
    }
    this.outbox.push(bytes);
    if (this.outbox.length === 1) this.flusher.schedule(this);
  }

  flush(): void {
    const frames = this.outbox;
    if (frames.length === 0) return;
    this.outbox = [];
    if (this.isClosing) return;
    const count = frames.length;
    this.inFlight += count;
    this.socket?.cork();
    for (let i = 0; i < count - 1; i++) this.ws.send(frames[i], TEXT_FRAME);
    this.ws.send(frames[count - 1], TEXT_FRAME, () => {
      this.inFlight -= count;
    });
    this.socket?.uncork();
  }

  /**
   * Closes with `code`, dropping frames not yet handed to the OS. Idempotent. A peer
   * that does not finish the close handshake within a few seconds is dropped.
   */
  close(code: number, reason = ''): void {
    if (this.closing) return;
    this.closing = true;
    this.outbox = [];
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
      this.ws.close(code, reason);
      setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS).unref();
    }
  }

  /** Drops the socket at once, without a close handshake (a dead peer). */
  terminate(): void {
    this.closing = true;
    this.outbox = [];
    this.ws.terminate();
  }
}
