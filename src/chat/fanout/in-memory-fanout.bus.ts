import { FanoutBus, FanoutEnvelope, FanoutHandler } from './fanout.bus.js';

/**
 * `FanoutBus` within one process: `publish` hands the envelope to every subscriber
 * synchronously, in subscription order, before it resolves. Several app instances in one
 * process may share one bus to behave as a cluster.
 */
export class InMemoryFanoutBus implements FanoutBus {
  private handlers: FanoutHandler[] = [];

  async publish(envelope: FanoutEnvelope): Promise<void> {
    for (const handler of this.handlers) handler(envelope);
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
