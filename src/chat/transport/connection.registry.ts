import { Inject, Injectable, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import type { WebSocket } from 'ws';
import type { ChatPrincipal } from '../auth/chat-principal.js';
import { CHAT_OPTIONS, type ResolvedChatOptions } from '../chat.options.js';
import { FanoutBus, FanoutEnvelope } from '../fanout/fanout.bus.js';
import { ChatMetrics } from '../metrics/chat-metrics.js';
import { CloseCode } from '../protocol/close-codes.js';
import { ClientConnection } from './client-connection.js';
import { ConnectionLog } from './connection.log.js';
import { OutboundFlusher } from './outbound-flusher.js';
import { encodeTextFrameOf } from './text-frame.js';

const CONNECTION = Symbol('chat.connection');

type TaggedSocket = WebSocket & { [CONNECTION]?: ClientConnection };

/** Counters of what the registry did, for metrics. */
export interface RegistryCounters {
  slowConsumers: number;
}

/**
 * This node's open sockets, indexed by user and by session, and the node's end of the
 * fan-out bus: every envelope the bus hands back is delivered here to the local sockets
 * it addresses, framed once and queued as the same bytes on each of them.
 */
@Injectable()
export class ConnectionRegistry implements OnModuleInit, OnModuleDestroy {
  private readonly all = new Set<ClientConnection>();
  private readonly byUser = new Map<number, Set<ClientConnection>>();
  private readonly bySession = new Map<string, Set<ClientConnection>>();
  private readonly flusher = new OutboundFlusher();
  private unsubscribe: (() => void) | null = null;
  readonly counters: RegistryCounters = { slowConsumers: 0 };

  constructor(
    @Inject(CHAT_OPTIONS) private readonly options: ResolvedChatOptions,
    @Inject(FanoutBus) private readonly bus: FanoutBus,
    @Optional() private readonly metrics: ChatMetrics = new ChatMetrics(),
    @Optional() private readonly connectionLog: ConnectionLog = new ConnectionLog(),
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.bus.subscribe((envelope) => this.deliver(envelope));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /** Takes ownership of an accepted socket. */
  register(ws: WebSocket, principal: ChatPrincipal): ClientConnection {
    const connection = new ClientConnection(
      ws,
      principal,
      this.options.sendQueueLimit,
      this.flusher,
      () => {
        this.counters.slowConsumers += 1;
      },
      (frame) => this.metrics.frameQueued(frame),
    );
    this.metrics.trackConnection(ws);
    this.connectionLog.track(connection);
    (ws as TaggedSocket)[CONNECTION] = connection;
    this.all.add(connection);
    addTo(this.byUser, principal.id, connection);
    if (principal.sessionKey !== null) addTo(this.bySession, principal.sessionKey, connection);
    return connection;
  }

  /** Forgets a closed socket; returns its connection the first time, null after. */
  release(ws: WebSocket): ClientConnection | null {
    const connection = (ws as TaggedSocket)[CONNECTION];
    if (!connection || !this.all.delete(connection)) return null;
    removeFrom(this.byUser, connection.principal.id, connection);
    if (connection.principal.sessionKey !== null)
      removeFrom(this.bySession, connection.principal.sessionKey, connection);
    return connection;
  }

  /** The connection that owns `ws`, if registered. */
  connectionOf(ws: WebSocket): ClientConnection | undefined {
    return (ws as TaggedSocket)[CONNECTION];
  }

  /** Every open connection of this node. */
  connections(): Iterable<ClientConnection> {
    return this.all;
  }

  get size(): number {
    return this.all.size;
  }

  /** Delivers one envelope to the local sockets it addresses. */
  deliver(envelope: FanoutEnvelope): void {
    switch (envelope.kind) {
      case 'everyone': {
        if (this.all.size === 0) return;
        const frame = encodeTextFrameOf(envelope.frame);
        let queued = 0;
        for (const connection of this.all) if (connection.sendFrame(frame)) queued++;
        this.metrics.delivered(envelope, queued);
        return;
      }
      case 'users': {
        let frame: Buffer | undefined;
        let queued = 0;
        for (const userId of envelope.userIds) {
          const sockets = this.byUser.get(userId);
          if (!sockets) continue;
          frame ??= encodeTextFrameOf(envelope.frame);
          for (const connection of sockets) if (connection.sendFrame(frame)) queued++;
        }
        this.metrics.delivered(envelope, queued);
        return;
      }
      case 'end_sessions':
        this.metrics.delivered(envelope, 0);
        for (const key of envelope.sessionKeys) {
          for (const connection of this.bySession.get(key) ?? [])
            connection.close(CloseCode.SESSION_ENDED, 'session ended');
        }
        return;
    }
  }

  /** Closes every socket with `code` and resolves once all are closed or `timeoutMs` passed. */
  async closeAll(code: number, reason: string, timeoutMs: number): Promise<void> {
    const closed = [...this.all].map(
      (connection) =>
        new Promise<void>((resolve) => {
          if (connection.ws.readyState === connection.ws.CLOSED) return resolve();
          connection.ws.once('close', () => resolve());
          connection.close(code, reason);
        }),
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(closed),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
      }),
    ]);
    clearTimeout(timer);
  }
}

function addTo<K>(index: Map<K, Set<ClientConnection>>, key: K, connection: ClientConnection): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(connection);
}

function removeFrom<K>(index: Map<K, Set<ClientConnection>>, key: K, connection: ClientConnection): void {
  const set = index.get(key);
  if (!set) return;
  set.delete(connection);
  if (set.size === 0) index.delete(key);
}
