import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { FanoutBus, FanoutEnvelope } from '../fanout/fanout.bus.js';
import { serializedFrameType } from '../protocol/frame-types.js';
import type { BlocksFrame } from '../protocol/frames.js';
import { NO_BLOCKS } from '../transport/client-connection.js';
import { ConnectionRegistry } from '../transport/connection.registry.js';

/**
 * Keeps the block list of this node's sockets current: every `blocks` frame the bus hands
 * back (published by `UserBlocks` on any instance) replaces the list of the addressed
 * user's local sockets, so their room messages are flagged from then on.
 */
@Injectable()
export class BlockListSync implements OnModuleInit, OnModuleDestroy {
  private unsubscribe: (() => void) | null = null;

  constructor(
    @Inject(FanoutBus) private readonly bus: FanoutBus,
    private readonly registry: ConnectionRegistry,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.bus.subscribe((envelope) => this.apply(envelope));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  private apply(envelope: FanoutEnvelope): void {
    if (envelope.kind !== 'users' || serializedFrameType(envelope.frame) !== 'blocks') return;
    const { user_ids } = JSON.parse(envelope.frame) as BlocksFrame;
    const list = user_ids.length === 0 ? NO_BLOCKS : new Set(user_ids);
    for (const userId of envelope.userIds) {
      for (const connection of this.registry.connectionsOf(userId)) connection.useBlockList(list);
    }
  }
}
