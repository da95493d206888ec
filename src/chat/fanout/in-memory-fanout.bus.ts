import { Logger } from '@nestjs/common';
import { FanoutBus, FanoutEnvelope, FanoutHandler } from './fanout.bus.js';
import { handOutIsolated } from './publish-on-bus.js';

/**
 * `FanoutBus` within one process: `publish` hands the envelope to every subscriber
 * synchronously, in subscription order, before it resolves; a subscriber that throws is
 * logged and the others still get it (as on every bus). Several app instances in one
 * process may share one bus to behave as a cluster.
 */
export class InMemoryFanoutBus implements FanoutBus {
  private readonly logger = new Logger(InMemoryFanoutBus.name);
  private handlers: FanoutHandler[] = [];

  async publish(envelope: FanoutEnvelope): Promise<void> {
    handOutIsolated(this.handlers, envelope, this.logger);
  }

  subscribe(handler: FanoutHandler): () => void {
    this.handlers = [...this.handlers, handler];
    return () => {
      this.handlers = this.handlers.filter((h) => h !== handler);
    };
  }

  /** Always true: there is nothing to lose contact with. */
  isHealthy(): boolean {
    return true;
  }

  async close(): Promise<void> {
    this.handlers = [];
  }
}
