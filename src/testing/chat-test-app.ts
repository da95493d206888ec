import type { INestApplication } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import type { AddressInfo } from 'node:net';
import { RESOLVED_CHAT_OPTIONS } from '../chat/chat.options.js';
import { FanoutBus } from '../chat/fanout/fanout.bus.js';
import { ChatSessions } from '../chat/sessions/chat-sessions.js';
import { ChatTestSocket } from './chat-test-socket.js';
import { HandshakeRefusedError } from './handshake-refused.error.js';
import { busSentinelFrame, SentinelChannel } from './sentinel.js';
import { TEST_IDENTITY_HEADER, TestIdentity, TestIdentityStrategy } from './test-identity.js';

/** Headers of a handshake through the app's real strategy (a cookie, a bearer token, …). */
export type HandshakeHeaders = Record<string, string>;

/**
 * A chat app running for a test on `127.0.0.1:<random port>`: connect sockets as any
 * identity (`connectAs`, `tabs`) or through the app's real strategy (`connect`), end
 * sessions (4401), reach any provider (`get`), and `close` it all.
 */
export class ChatTestApp {
  /** `ws://127.0.0.1:<port>/ws` (the chat's path). */
  readonly url: string;
  /** `http://127.0.0.1:<port>`, for the app's HTTP endpoints. */
  readonly baseUrl: string;
  private readonly sockets = new Set<ChatTestSocket>();
  private readonly channel: SentinelChannel;
  private closing: Promise<void> | null = null;

  constructor(
    readonly app: INestApplication,
    readonly module: TestingModule,
    private readonly identity: TestIdentityStrategy,
    private readonly release: () => Promise<void>,
    private readonly onIdentity: (identity: TestIdentity) => void = () => undefined,
  ) {
    const { port } = app.getHttpServer().address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    const { path } = app.get<{ path?: string }>(RESOLVED_CHAT_OPTIONS, { strict: false });
    this.url = `ws://127.0.0.1:${port}${path ?? '/ws'}`;
    const bus = app.get<FanoutBus>(FanoutBus, { strict: false });
    this.channel = { publish: (ref) => bus.publish({ kind: 'everyone', frame: busSentinelFrame(ref) }) };
  }

  /**
   * A socket of `identity`, accepted without any login (the test identity strategy), once
   * it has joined: its `online` holds the `online_users` frame it received.
   */
  async connectAs(identity: TestIdentity, headers: HandshakeHeaders = {}): Promise<ChatTestSocket> {
    return this.joined(await this.open({ ...headers, ...this.ticketHeaders(identity) }));
  }

  /**
   * Handshake headers that authenticate one upgrade as `identity` (a one-use ticket), for
   * `open` and `expectRefused` when a test wants the raw outcome (429, 403, …).
   */
  ticketHeaders(identity: TestIdentity): HandshakeHeaders {
    this.onIdentity(identity);
    return { [TEST_IDENTITY_HEADER]: this.identity.issue(identity) };
  }

  /** `count` sockets of one user, as tabs of one browser (one session: `endSession` closes them all). */
  async tabs(identity: TestIdentity, count: number): Promise<ChatTestSocket[]> {
    const tabs: ChatTestSocket[] = [];
    for (let i = 0; i < count; i++) tabs.push(await this.connectAs(identity));
    return tabs;
  }

  /** A socket authenticated by the app's real strategy with `headers`, once it has joined. */
  async connect(headers: HandshakeHeaders): Promise<ChatTestSocket> {
    return this.joined(await this.open(headers));
  }

  /**
   * A socket as soon as the upgrade is accepted (nothing awaited after it), through the
   * app's real strategy; a refused upgrade rejects with `HandshakeRefusedError`.
   */
  async open(headers: HandshakeHeaders = {}): Promise<ChatTestSocket> {
    const socket = await ChatTestSocket.open(this.url, headers, this.channel);
    this.sockets.add(socket);
    void socket.closed.then(() => this.sockets.delete(socket));
    return socket;
  }

  /** The HTTP status the upgrade with `headers` is refused with; throws if it is accepted. */
  async expectRefused(headers: HandshakeHeaders, status?: number): Promise<number> {
    const outcome = await this.open(headers).then(
      async (socket) => {
        await socket.close();
        return null;
      },
      (error: unknown) => (error instanceof HandshakeRefusedError ? error.status : Promise.reject(error)),
    );
    if (outcome === null) throw new Error('expected the handshake to be refused, but it was accepted');
    if (status !== undefined && outcome !== status)
      throw new Error(`expected the handshake to be refused with ${status}, got ${outcome}`);
    return outcome;
  }

  /** Ends sessions as the host does on logout: every socket opened with one of them closes with 4401. */
  async endSession(...sessionKeys: string[]): Promise<void> {
    await this.app.get(ChatSessions, { strict: false }).end(sessionKeys);
  }

  /**
   * Ends every socket of these users, whatever their sessions, as a host does on a ban or a
   * password change under stateless tokens (`ChatSessions.endUser`): they close with 4401.
   */
  async endUser(...userIds: number[]): Promise<void> {
    await this.app.get(ChatSessions, { strict: false }).endUser(...userIds);
  }

  /** A provider of the app (the host's services, `PresenceService`, …). */
  get<T = unknown>(token: unknown): T {
    return this.app.get<T>(token as never, { strict: false });
  }

  /** Closes every socket still open, the app, and the ports the kit created. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      for (const socket of this.sockets) socket.ws.terminate();
      try {
        await this.app.close();
      } finally {
        this.identity.uninstall();
        await this.release();
      }
    })();
    return this.closing;
  }

  private async joined(socket: ChatTestSocket): Promise<ChatTestSocket> {
    socket.online = await socket.expectFrame('online_users');
    return socket;
  }
}
