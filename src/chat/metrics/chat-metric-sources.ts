import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { FanoutBus } from '../fanout/fanout.bus.js';
import { ConnectionFactory } from '../transport/connection-factory.js';
import { Handshake } from '../transport/handshake.js';
import { ChatMetrics } from './chat-metrics.js';

/**
 * Points `ChatMetrics` at the plain counters other parts keep themselves (handshake
 * refusals by reason, slow-consumer cut-offs, fan-out bus outages), read at scrape time:
 * those paths only add to a number and import nothing of prom-client. A new refusal
 * reason added to `Handshake.refusals` shows up without a change here.
 */
@Injectable()
export class ChatMetricSourcesBinding implements OnModuleInit {
  constructor(
    private readonly metrics: ChatMetrics,
    private readonly handshake: Handshake,
    private readonly connections: ConnectionFactory,
    @Inject(FanoutBus) private readonly bus: FanoutBus,
  ) {}

  onModuleInit(): void {
    this.metrics.readFrom({
      refusals: () => this.handshake.refusals,
      slowConsumers: () => this.connections.counters.slowConsumers,
      fanoutOutages: () => this.bus.outages?.() ?? 0,
    });
  }
}
