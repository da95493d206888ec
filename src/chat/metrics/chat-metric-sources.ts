import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { FanoutBus } from '../fanout/fanout.bus.js';
import { ConnectionRegistry } from '../transport/connection.registry.js';
import { Handshake } from '../transport/handshake.js';
import { ChatMetrics } from './chat-metrics.js';

/**
 * Points `ChatMetrics` at the counters the transport keeps itself (handshake refusals by
 * reason, slow-consumer cut-offs, fan-out bus outages), so those paths carry no metrics code at all. A new
 * refusal reason added to `Handshake.refusals` shows up without a change here.
 */
@Injectable()
export class ChatMetricSourcesBinding implements OnModuleInit {
  constructor(
    private readonly metrics: ChatMetrics,
    private readonly handshake: Handshake,
    private readonly registry: ConnectionRegistry,
    @Inject(FanoutBus) private readonly bus: FanoutBus,
  ) {}

  onModuleInit(): void {
    this.metrics.readFrom({
      refusals: () => this.handshake.refusals,
      slowConsumers: () => this.registry.counters.slowConsumers,
      fanoutOutages: () => this.bus.outages?.() ?? 0,
    });
  }
}
