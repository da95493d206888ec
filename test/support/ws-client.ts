import { WebSocket } from 'ws';
import type { ClientFrame, ServerFrame } from '../../src/chat/protocol/frames.js';

type Predicate = (frame: ServerFrame) => boolean;

/** The server frame whose `type` can be `K` (also for frames sharing one shape, like user_joined/user_left). */
type FrameOf<K extends ServerFrame['type']> = ServerFrame extends infer F
  ? F extends { type: infer T }
    ? K extends T
      ? F
      : never
    : never
  : never;

/**
 * A real `ws` client for tests: records every frame received, lets a test wait for the
 * next frame matching a predicate (with a timeout), and for the close code.
 */
export class TestSocket {
  readonly frames: ServerFrame[] = [];
  private readonly consumed = new Set<number>();
  private waiters: Array<{
    predicate: Predicate;
    resolve: (frame: ServerFrame) => void;
    fail: (error: Error) => void;
  }> = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const frame = JSON.parse(data.toString()) as ServerFrame;
      const index = this.frames.push(frame) - 1;
      const waiter = this.waiters.find((w) => w.predicate(frame));
      if (waiter) {
        this.consumed.add(index);
        this.waiters = this.waiters.filter((w) => w !== waiter);
        waiter.resolve(frame);
      }
    });
    this.closed = new Promise((resolve) =>
      ws.once('close', (code, reason) => {
        resolve({ code, reason: reason.toString() });
        // nothing can arrive any more: fail pending waits now (and drop their timers)
        for (const waiter of this.waiters.splice(0))
          waiter.fail(new Error(`socket closed (${code}) before a matching frame arrived`));
      }),
    );
  }

  /** Opens a socket with the given cookie (or headers); rejects with the HTTP status on refusal. */
  static open(url: string, options: { cookie?: string; headers?: Record<string, string> } = {}): Promise<TestSocket> {
    const headers = { ...(options.cookie ? { cookie: options.cookie } : {}), ...options.headers };
    const ws = new WebSocket(url, { headers });
    const socket = new TestSocket(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(socket));
      ws.once('unexpected-response', (_request, response) => {
        reject(Object.assign(new Error(`handshake refused: ${response.statusCode}`), { status: response.statusCode }));
        ws.terminate();
      });
      ws.once('error', reject);
    });
  }

  /** Opens a socket and waits for the `online_users` frame the server sends on connect. */
  static async connect(url: string, cookie: string): Promise<TestSocket> {
    const socket = await TestSocket.open(url, { cookie });
    await socket.next((frame) => frame.type === 'online_users');
    return socket;
  }

  send(frame: ClientFrame | Record<string, unknown>): void {
    this.ws.send(JSON.stringify(frame));
  }

  sendRaw(data: string | Buffer, binary = false): void {
    this.ws.send(data, { binary });
  }

  /**
   * Resolves the oldest frame matching `predicate` that no earlier `next` returned
   * (frames already received first, then the ones to come); rejects after `timeoutMs`, or as
   * soon as the socket closes.
   */
  next<T extends ServerFrame = ServerFrame>(predicate: Predicate = () => true, timeoutMs = 5000): Promise<T> {
    for (let i = 0; i < this.frames.length; i++) {
      if (!this.consumed.has(i) && predicate(this.frames[i])) {
        this.consumed.add(i);
        return Promise.resolve(this.frames[i] as T);
      }
    }
    const from = this.frames.length;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((waiter) => waiter.resolve !== done);
        reject(
          new Error(
            `no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames.slice(from)).slice(0, 2000)}`,
          ),
        );
      }, timeoutMs);
      const done = (frame: ServerFrame) => {
        clearTimeout(timer);
        resolve(frame as T);
      };
      const fail = (error: Error) => {
        clearTimeout(timer);
        reject(error);
      };
      if (this.ws.readyState === WebSocket.CLOSED) return fail(new Error('socket already closed'));
      this.waiters.push({ predicate, resolve: done, fail });
    });
  }

  /** Next frame of a given type. */
  nextOfType<K extends ServerFrame['type']>(type: K, timeoutMs = 5000): Promise<FrameOf<K>> {
    return this.next((frame) => frame.type === type, timeoutMs) as Promise<FrameOf<K>>;
  }

  /** Frames received so far of one type. */
  framesOfType<K extends ServerFrame['type']>(type: K): Array<FrameOf<K>> {
    return this.frames.filter((frame) => frame.type === type) as Array<FrameOf<K>>;
  }

  close(): Promise<{ code: number; reason: string }> {
    this.ws.close();
    return this.closed;
  }
}
