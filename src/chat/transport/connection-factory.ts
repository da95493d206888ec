import { Inject, Injectable, Optional } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { RESOLVED_CHAT_OPTIONS, type ResolvedChatOptions } from '../chat.options.js';
import { ChatMetrics } from '../metrics/chat-metrics.js';
import { capabilitiesOf } from '../protocol/capabilities.js';
import { ClientConnection } from './client-connection.js';
import { ConnectionLog } from './connection.log.js';
import { principalOf } from './handshake.js';
import { OutboundFlusher } from './outbound-flusher.js';

/** Counters of what the factory's connections did, read by the metrics. */
export interface ConnectionCounters {
  /** Sockets cut off with 1013 because too many frames waited for them. */
  slowConsumers: number;
}

/**
 * Turns an accepted `ws` socket into its `ClientConnection`: the principal the handshake
 * attached, the send-queue limit, the one outbound flusher every connection of this app
 * shares, and the metrics and log of the connection. A socket whose upgrade carries no
 * principal gets no connection (the caller drops it).
 */
@Injectable()
export class ConnectionFactory {
  private readonly flusher = new OutboundFlusher();
  readonly counters: ConnectionCounters = { slowConsumers: 0 };

  constructor(
    @Inject(RESOLVED_CHAT_OPTIONS) private readonly options: ResolvedChatOptions,
    @Optional() private readonly metrics: ChatMetrics = new ChatMetrics(),
    @Optional() private readonly connectionLog: ConnectionLog = new ConnectionLog(),
  ) {}

  /** The connection of an accepted socket, or null when its upgrade was not authenticated. */
  open(ws: WebSocket, request: IncomingMessage): ClientConnection | null {
    const principal = principalOf(request);
    if (!principal) return null;
    const connection = new ClientConnection(
      ws,
      principal,
      capabilitiesOf(request),
      { frames: this.options.sendQueueLimit, bytes: this.options.sendQueueBytes },
      this.flusher,
      () => {
        this.counters.slowConsumers += 1;
      },
      (frame) => this.metrics.frameQueued(frame),
    );
    this.metrics.trackConnection(connection);
    this.connectionLog.track(connection);
    return connection;
  }
}
