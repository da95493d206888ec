import type { Socket } from 'node:net';
import { WebSocket } from 'ws';
import type { SocketPrincipal } from '../auth/chat-principal.js';
import type { ChatParticipant } from '../chat-participant.js';
import type { ChatCapability } from '../protocol/capabilities.js';
import { CloseCode } from '../protocol/close-codes.js';
import { jsonOf } from '../protocol/preset-json.js';
import type { PublicUser, ServerFrame } from '../protocol/frames.js';
import { BatchJoiner, type Flushable, type OutboundFlusher } from './outbound-flusher.js';
import { rawSocketOf } from './raw-socket.js';
import { writeNowIfIdle } from './direct-socket-write.js';
import { encodeTextFrameOf } from './text-frame.js';
import { protocolErrorCloseCode } from './protocol-error-close-code.js';
import { releaseUpgrade } from './upgrade-cork.js';

/** The outbound bounds of one socket (`sendQueueLimit`, `sendQueueBytes`). */
export interface SendQueueLimits {
  /** Frames in flight beyond which the next frame closes the socket with 1013. */
  frames: number;
  /** Bytes waiting beyond which the next frame closes the socket with 1013. */
  bytes: number;
}

/** How long a closing socket may take to finish the close handshake before it is dropped. */
export const CLOSE_GRACE_MS = 5_000;

let nextConnectionId = 1;

/** The block list of a user who blocks nobody (shared; replaced, never changed). */
export const NO_BLOCKS: ReadonlySet<number> = new Set();

/** The inbound tail of a socket that has handled nothing yet (settled, shared by every socket). */
const NOTHING_INBOUND: Promise<void> = Promise.resolve();

/** Encoded `online_users` frames, by frame object: one shared snapshot is serialized once. */
const sharedEncodings = new WeakMap<ServerFrame, Buffer>();

/**
 * The frame's bytes; for `online_users` (a shared snapshot), computed once per frame object;
 * for `online_page`, from the text its builder attached (`presetJson`), if any.
 */
function encodedOnce(frame: ServerFrame): Buffer {
  if (frame.type === 'online_page') return encodeTextFrameOf(jsonOf(frame));
  if (frame.type !== 'online_users') return encodeTextFrameOf(JSON.stringify(frame));
  let bytes = sharedEncodings.get(frame);
  if (!bytes) sharedEncodings.set(frame, (bytes = encodeTextFrameOf(JSON.stringify(frame))));
  return bytes;
}

/**
 * The owner of one accepted socket: identity, presence, the outbound queue and its limit,
 * the inbound order, the liveness clock. Nothing else writes its state: the adapter calls
 * `markSeen` and `enqueueInbound`, the heartbeat `isSilentFor`, `pingIfDue` and
 * `sessionExpiredAt`, the use cases `enterPresence`/`leavePresence` and `send`.
 *
 * Frames queued with `sendFrame` are written in queue order, batched per event-loop turn
 * into one socket write. A frame counts as waiting from the moment it is written to the
 * socket until the operating system has accepted it; when more than `sendQueue.frames`
 * frames, or more than `sendQueue.bytes` bytes (those and the ones queued for the next
 * write), wait, the next frame for that socket closes it with 1013 instead, so a slow
 * reader never holds anyone else up and its memory stays bounded (the frames of one
 * event-loop turn plus the limits; one frame larger than the byte limit still goes out when
 * nothing else waits).
 */
export class ClientConnection implements ChatParticipant, Flushable {
  readonly id = nextConnectionId++;
  readonly user: PublicUser;
  /** The rooms other than lobby this socket follows; `ConnectionRegistry` keeps it with its index. */
  readonly rooms = new Set<string>();
  private counted = true;
  private blockList: ReadonlySet<number> = NO_BLOCKS;
  /** Epoch ms of the last frame or pong received. */
  private lastSeenAt = Date.now();
  /** Epoch ms of the last ping sent; null before the first. */
  private lastPingAt: number | null = null;
  /** Tail of this socket's inbound handling: frames are handled one after the other. */
  private inbound: Promise<void> = NOTHING_INBOUND;
  private outbox: Buffer[] = [];
  private inFlight = 0;
  /** Bytes of the frames in `outbox` and in flight (handed to the socket, not yet accepted by the OS). */
  private bytesWaiting = 0;
  private closing = false;
  private sentCloseCode: number | undefined;
  private queueWaiters: Array<{ below: number; resolve: () => void }> = [];
  /** Called in order with the close code when the socket closes (one `close` listener on the socket for all). */
  private closeListeners: Array<(code: number) => void> = [];
  /** Drops a peer that does not finish the close handshake (`close`); cleared on close. */
  private closeGrace: NodeJS.Timeout | null = null;
  private readonly socket: Socket;

  constructor(
    readonly ws: WebSocket,
    readonly principal: SocketPrincipal,
    readonly capabilities: ReadonlySet<ChatCapability>,
    private readonly sendQueue: SendQueueLimits,
    private readonly flusher: OutboundFlusher,
    private readonly onSlowConsumer: (connection: ClientConnection) => void,
    private readonly onQueued: (frame: ServerFrame) => void = () => {},
  ) {
    this.user = { id: principal.id, nickname: principal.nickname };
    this.socket = rawSocketOf(ws);
    ws.on('error', (error: { code?: unknown }) => (this.sentCloseCode ??= protocolErrorCloseCode(error)));
    ws.once('close', (code: number) => this.closed(code));
  }

  private closed(code: number): void {
    if (this.closeGrace) clearTimeout(this.closeGrace);
    this.wakeQueueWaiters();
    const listeners = this.closeListeners;
    this.closeListeners = [];
    for (const listener of listeners) listener(code);
  }

  /** The most frames that may wait for this socket; one more closes it with 1013. */
  get sendQueueCapacity(): number {
    return this.sendQueue.frames;
  }

  /**
   * Resolves once fewer than `frames` frames wait for this socket (queued, or handed to the
   * socket and not yet written to the OS), at once when that is already so, and when the
   * socket is closing. Lets a large reply be sent in steps a slow reader can take.
   */
  whenSendQueueBelow(frames: number): Promise<void> {
    if (this.closing || this.outbox.length + this.inFlight < frames) return Promise.resolve();
    return new Promise((resolve) => this.queueWaiters.push({ below: frames, resolve }));
  }

  private wakeQueueWaiters(): void {
    if (this.queueWaiters.length === 0) return;
    const waiting = this.outbox.length + this.inFlight;
    const gone = this.closing || this.ws.readyState === WebSocket.CLOSED;
    this.queueWaiters = this.queueWaiters.filter((waiter) => {
      if (!gone && waiting >= waiter.below) return true;
      waiter.resolve();
      return false;
    });
  }

  /**
   * The code of the close frame this server sent (by `close`, or by `ws` over a protocol
   * violation), undefined when it sent none (the peer closed first, or the socket was dropped).
   */
  get closeCodeSent(): number | undefined {
    return this.sentCloseCode;
  }

  get isClosing(): boolean {
    return this.closing || this.ws.readyState !== WebSocket.OPEN;
  }

  /** Whether the socket is fully closed. */
  get isClosed(): boolean {
    return this.ws.readyState === WebSocket.CLOSED;
  }

  get present(): boolean {
    return this.counted;
  }

  enterPresence(): boolean {
    if (this.counted) return false;
    return (this.counted = true);
  }

  leavePresence(): boolean {
    if (!this.counted) return false;
    this.counted = false;
    return true;
  }

  /** The peer showed it is alive (a frame or a pong arrived) at `now`. */
  markSeen(now = Date.now()): void {
    this.lastSeenAt = now;
  }

  /** Whether nothing (no frame, no pong) arrived for `timeoutMs` up to `now`. */
  isSilentFor(timeoutMs: number, now: number): boolean {
    return now - this.lastSeenAt >= timeoutMs;
  }

  /** Whether the session behind this socket has expired at `now`. */
  sessionExpiredAt(now: number): boolean {
    const expiresAt = this.principal.expiresAt;
    return expiresAt !== null && expiresAt <= now;
  }

  /** Pings the peer when `intervalMs` passed since the last ping (or, before one, since it was last seen). */
  pingIfDue(intervalMs: number, now: number): void {
    if (now - (this.lastPingAt ?? this.lastSeenAt) < intervalMs) return;
    this.lastPingAt = now;
    this.ws.ping();
  }

  /** Runs `task` after every inbound task enqueued before it has settled: one frame at a time, in order. */
  enqueueInbound(task: () => void | Promise<void>): void {
    this.inbound = this.inbound.then(task);
  }

  /** Calls `listener` with the close code once the socket has closed (listeners run in the order given). */
  onClose(listener: (code: number) => void): void {
    this.closeListeners.push(listener);
  }

  get blockedUserIds(): ReadonlySet<number> {
    return this.blockList;
  }

  useBlockList(blocked: ReadonlySet<number>): void {
    this.blockList = blocked.size === 0 ? NO_BLOCKS : blocked;
  }

  send(frame: ServerFrame): void {
    if (this.sendFrame(encodedOnce(frame))) this.onQueued(frame);
  }
  /**
   * Queues one complete WebSocket frame (`encodeTextFrame`); the same buffer may be queued
   * on many sockets and must not be changed afterwards. False when it was not queued.
   */
  sendFrame(bytes: Buffer): boolean {
    if (this.closing) return false;
    if (this.inFlight > this.sendQueue.frames || this.bytesWaiting > this.sendQueue.bytes) {
      this.onSlowConsumer(this);
      this.close(CloseCode.TRY_AGAIN_LATER, 'slow consumer');
      return false;
    }
    this.outbox.push(bytes);
    this.bytesWaiting += bytes.length;
    if (this.outbox.length === 1) this.flusher.schedule(this);
    return true;
  }

  /**
   * Writes every queued frame in one socket write, straight to the socket that `ws`
   * handed over at the upgrade: to the OS at once when nothing waits in the socket's stream
   * (`writeNowIfIdle`), through the stream otherwise and for what the OS did not take. Safe
   * beside `ws`'s own writes (pings, close): without per-message compression its sender never
   * holds frames back, each write carries whole frames, and a direct write happens only when
   * everything written before has reached the OS.
   */
  flush(joiner: BatchJoiner = new BatchJoiner()): void {
    const frames = this.outbox;
    if (frames.length === 0) return;
    if (this.isClosing || this.socket.destroyed) return this.dropOutbox();
    const count = frames.length;
    const batch = joiner.join(frames);
    // the joiner keeps no lone frame, so its array is reused (no allocation per socket and turn)
    if (count === 1) frames.length = 0;
    else this.outbox = [];
    const taken = writeNowIfIdle(this.socket, batch);
    if (taken === batch.length) {
      this.bytesWaiting -= batch.length;
      this.wakeQueueWaiters();
      return;
    }
    this.inFlight += count;
    this.socket.write(taken === 0 ? batch : batch.subarray(taken), () => {
      this.inFlight -= count;
      this.bytesWaiting -= batch.length;
      this.wakeQueueWaiters();
    });
    releaseUpgrade(this.socket);
  }

  /**
   * Closes with `code`, dropping frames not yet handed to the OS. Idempotent. A peer
   * that does not finish the close handshake within a few seconds is dropped.
   */
  close(code: number, reason = ''): void {
    if (this.closing) return;
    this.closing = true;
    this.dropOutbox();
    this.wakeQueueWaiters();
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) {
      this.sentCloseCode ??= code;
      this.ws.close(code, reason);
      // cleared on close, so a closed connection is not kept alive for the grace period
      this.closeGrace = setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS).unref();
    }
  }

  /** Forgets the frames not yet handed to the socket. */
  private dropOutbox(): void {
    for (const frame of this.outbox) this.bytesWaiting -= frame.length;
    this.outbox = [];
  }

  /** Writes what is queued, then closes with `code` (the last frame queued reaches the peer first). */
  flushAndClose(code: number, reason = ''): void {
    this.flush();
    this.close(code, reason);
  }

  /**
   * Closes for abuse: writes what is queued and the close frame with `code`, then stops
   * reading from the peer (nothing it sent afterwards is parsed) and ends the TCP stream,
   * so the peer sees the close at once; the connection is dropped after the close grace.
   */
  cutOff(code: number, reason = ''): void {
    if (this.closing) return;
    this.flushAndClose(code, reason);
    this.ws.pause();
    if (!this.socket.destroyed) this.socket.end();
  }

  /** Drops the socket at once, without a close handshake (a dead peer). */
  terminate(): void {
    this.closing = true;
    this.dropOutbox();
    this.wakeQueueWaiters();
    this.ws.terminate();
  }
}
