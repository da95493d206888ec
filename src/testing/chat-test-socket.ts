import { fail } from 'node:assert/strict';
import { WebSocket } from 'ws';
import type { ClientFrame, OnlineUsersFrame, ServerFrame, ServerFrameType } from '../chat/protocol/frames.js';
import { FrameInbox, preview } from './frame-inbox.js';
import { describeExpectation, FrameMatch, frameMatches, FrameOf } from './frame-match.js';
import { HandshakeRefusedError } from './handshake-refused.error.js';
import { newSentinelRef, roundTripFrame, SentinelChannel, sentinelRefOf } from './sentinel.js';

/** How long `expectFrame`, `expectNoFrame` and `expectClose` wait by default. */
export const DEFAULT_EXPECT_TIMEOUT_MS = 5_000;

/** How a socket was closed. */
export interface SocketClosed {
  code: number;
  reason: string;
}

/** Options of `expectNoFrame`. */
export interface ExpectNoFrameOptions {
  /**
   * The sockets whose earlier frames the assertion covers: each makes a round trip first,
   * so everything they sent before has been handled. Default: this socket.
   */
  after?: ChatTestSocket | ChatTestSocket[];
  timeoutMs?: number;
}

/**
 * A real `ws` client of the chat for tests, in the style of Phoenix's `ChannelTest`:
 * `send` a frame, then `expectFrame` (the oldest matching frame not yet expected, waiting
 * up to a timeout), `expectNoFrame` (proven by a sentinel, never by a sleep) and
 * `expectClose`. Failures are plain `Error`s, so it works under any test runner.
 */
export class ChatTestSocket {
  private readonly inbox = new FrameInbox();
  private readonly sentinels = new Map<string, (mark: number) => void>();
  /** Resolves once the socket is closed, with the close code and reason. */
  readonly closed: Promise<SocketClosed>;
  /** The `online_users` frame the server sent when the socket joined (set by the kit's connect helpers). */
  online: OnlineUsersFrame | null = null;

  private constructor(
    readonly ws: WebSocket,
    private readonly channel: SentinelChannel | null,
  ) {
    ws.on('message', (data, isBinary) => {
      if (!isBinary) this.receive(JSON.parse(data.toString()) as ServerFrame);
    });
    this.closed = new Promise((resolve) =>
      ws.once('close', (code, reason) => {
        this.inbox.close(new Error(`socket closed with ${code}`));
        resolve({ code, reason: reason.toString() });
      }),
    );
  }

  /**
   * Opens a socket to `url` with `headers`; resolves once it is open. A refused upgrade
   * rejects with `HandshakeRefusedError` (its HTTP `status`). `channel` lets
   * `expectNoFrame` cover frames published on the app's fan-out bus.
   */
  static open(
    url: string,
    headers: Record<string, string> = {},
    channel: SentinelChannel | null = null,
  ): Promise<ChatTestSocket> {
    const ws = new WebSocket(url, { headers });
    const socket = new ChatTestSocket(ws, channel);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(socket));
      ws.once('unexpected-response', (_request, response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        const refused = () => reject(new HandshakeRefusedError(response.statusCode ?? 0, body, response.headers));
        response.on('end', refused);
        response.on('error', refused);
      });
      ws.once('error', reject);
    });
  }

  /** Every protocol frame received so far, in order (the kit's own sentinels left out). */
  get frames(): readonly ServerFrame[] {
    return this.inbox.all;
  }

  /** Sends one client frame as JSON. */
  send(frame: ClientFrame): void {
    this.ws.send(JSON.stringify(frame));
  }

  /** Sends anything (a malformed frame, a binary frame) as it is. */
  sendRaw(data: string | Buffer, binary = false): void {
    this.ws.send(data, { binary });
  }

  /**
   * Resolves the oldest frame of `type` matching `match` (a nested subset of its fields,
   * or a predicate) that no earlier `expectFrame` returned, already received or yet to
   * come; rejects after `timeoutMs` or when the socket closes first, listing what came.
   */
  async expectFrame<K extends ServerFrameType>(
    type: K,
    match?: FrameMatch<K>,
    timeoutMs = DEFAULT_EXPECT_TIMEOUT_MS,
  ): Promise<FrameOf<K>> {
    const frame = await this.inbox.take(
      (candidate) => frameMatches(candidate, type, match),
      timeoutMs,
      () => `expected ${describeExpectation(type, match)}`,
    );
    return frame as FrameOf<K>;
  }

  /**
   * Proves that no frame of `type` (any type when undefined) matching `match` has been or
   * will be received because of anything that happened before the call: each socket in
   * `after` (default: this one) makes a round trip, so the server handled all it sent;
   * then a sentinel is published on the app's fan-out bus, behind everything published
   * before it, and awaited here. Throws if a matching frame, not taken by `expectFrame`,
   * arrived before the sentinel.
   */
  async expectNoFrame<K extends ServerFrameType>(
    type?: K,
    match?: FrameMatch<K>,
    options: ExpectNoFrameOptions = {},
  ): Promise<void> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_EXPECT_TIMEOUT_MS;
    const actors = options.after === undefined ? [this] : [options.after].flat();
    await Promise.all(actors.map((actor) => actor.roundTrip(timeoutMs)));
    const mark = this.channel
      ? await this.awaitSentinel(newSentinelRef(), timeoutMs, (ref) => this.channel!.publish(ref))
      : await this.roundTripMark(timeoutMs);
    const unexpected = this.inbox.untakenBefore(mark).filter((frame) => frameMatches(frame, type, match));
    if (unexpected.length > 0)
      fail(`expected no ${describeExpectation(type, match)} before the sentinel, got ${preview(unexpected)}`);
  }

  /**
   * Resolves once the server has handled every frame this socket sent before the call
   * (a request it answers on this socket, invisible to `frames`).
   */
  async roundTrip(timeoutMs = DEFAULT_EXPECT_TIMEOUT_MS): Promise<void> {
    await this.roundTripMark(timeoutMs);
  }

  /** Resolves when the socket closes; throws when it does not within `timeoutMs` or closes with another code. */
  async expectClose(code?: number, timeoutMs = DEFAULT_EXPECT_TIMEOUT_MS): Promise<SocketClosed> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`expected the socket to close${code ? ` with ${code}` : ''} within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      const closed = await Promise.race([this.closed, timeout]);
      if (code !== undefined && closed.code !== code)
        fail(`expected close code ${code}, got ${closed.code} (${closed.reason || 'no reason'})`);
      return closed;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the socket (normal closure) and resolves once it is closed. */
  close(): Promise<SocketClosed> {
    if (this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
    else this.ws.close();
    return this.closed;
  }

  private roundTripMark(timeoutMs: number): Promise<number> {
    return this.awaitSentinel(newSentinelRef(), timeoutMs, async (ref) => this.send(roundTripFrame(ref)));
  }

  /** Sends a sentinel with `send` and resolves the inbox count at the moment it came back. */
  private awaitSentinel(ref: string, timeoutMs: number, send: (ref: string) => Promise<void>): Promise<number> {
    if (this.ws.readyState !== WebSocket.OPEN) return Promise.reject(new Error('the socket is not open'));
    return new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.sentinels.delete(ref);
        reject(new Error(`the sentinel did not come back within ${timeoutMs} ms`));
      }, timeoutMs);
      this.sentinels.set(ref, (mark) => {
        clearTimeout(timer);
        resolve(mark);
      });
      void this.closed.then(({ code }) => {
        clearTimeout(timer);
        reject(new Error(`socket closed with ${code} before the sentinel came back`));
      });
      send(ref).catch((error: Error) => {
        clearTimeout(timer);
        this.sentinels.delete(ref);
        reject(error);
      });
    });
  }

  private receive(frame: ServerFrame): void {
    const ref = sentinelRefOf(frame as { type?: unknown; ref?: unknown });
    if (ref === null) return this.inbox.push(frame);
    this.sentinels.get(ref)?.(this.inbox.count);
    this.sentinels.delete(ref);
  }
}
