import { BeforeApplicationShutdown, Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { CHAT_PORTS } from './chat-ports.token.js';
import type { ChatPorts } from './chat-ports.js';
import { CloseCode } from './protocol/close-codes.js';
import { closeConnections } from './transport/close-connections.js';
import { ConnectionRegistry } from './transport/connection.registry.js';
import { Handshake } from './transport/handshake.js';

/** How long shutdown waits for clients to acknowledge the 1001 close. */
const SHUTDOWN_CLOSE_TIMEOUT_MS = 3_000;

/**
 * Orderly shutdown: refuse new handshakes, close every socket with 1001 (a close frame,
 * not a dropped connection) and wait for them briefly, then release the ports.
 */
@Injectable()
export class ChatLifecycle implements BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    private readonly handshake: Handshake,
    private readonly registry: ConnectionRegistry,
    @Inject(CHAT_PORTS) private readonly ports: ChatPorts,
  ) {}

  async beforeApplicationShutdown(): Promise<void> {
    this.handshake.startDraining();
    await closeConnections(
      this.registry.connections(),
      CloseCode.GOING_AWAY,
      'server shutting down',
      SHUTDOWN_CLOSE_TIMEOUT_MS,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.ports.close();
  }
}
