import type { FanoutBus, FanoutEnvelope, FanoutHandler } from '../fanout/fanout.bus.js';
import type { ChatMetrics } from './chat-metrics.js';

/**
 * A `FanoutBus` that counts every rejected `publish` of the bus it wraps
 * (`chat_fanout_publish_failures_total`) and rethrows it; everything else, `isHealthy`
 * and `outages` included, is the wrapped bus's own behaviour. Works for any bus implementation,
 * because the port's contract is that `publish` rejects when the envelope was not taken.
 */
export class MeteredFanoutBus implements FanoutBus {
  constructor(
    private readonly inner: FanoutBus,
    private readonly metrics: ChatMetrics,
  ) {}

  async publish(envelope: FanoutEnvelope): Promise<void> {
    try {
      await this.inner.publish(envelope);
    } catch (error) {
      this.metrics.publishFailed();
      throw error;
    }
  }

  subscribe(handler: FanoutHandler): () => void {
    return this.inner.subscribe(handler);
  }

  isHealthy(): boolean {
    return this.inner.isHealthy?.() ?? true;
  }

  outages(): number {
    return this.inner.outages?.() ?? 0;
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
