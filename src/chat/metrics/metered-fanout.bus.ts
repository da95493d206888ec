import type { FanoutBus, FanoutEnvelope, FanoutHandler } from '../fanout/fanout.bus.js';
import type { ChatMetrics } from './chat-metrics.js';

/**
 * A `FanoutBus` that times every `publish` of the bus it wraps
 * (`chat_fanout_publish_duration_seconds`, by envelope kind) and counts every rejected one
 * (`chat_fanout_publish_failures_total`) before rethrowing it; everything else, `isHealthy`,
 * `outages` and the room watching included, is the wrapped bus's own behaviour. Works for any bus implementation,
 * because the port's contract is that `publish` rejects when the envelope was not taken.
 */
export class MeteredFanoutBus implements FanoutBus {
  constructor(
    private readonly inner: FanoutBus,
    private readonly metrics: ChatMetrics,
  ) {}

  async publish(envelope: FanoutEnvelope): Promise<void> {
    const started = performance.now();
    try {
      await this.inner.publish(envelope);
    } catch (error) {
      this.metrics.publishFailed();
      throw error;
    } finally {
      this.metrics.published(envelope.kind, (performance.now() - started) / 1000);
    }
  }

  subscribe(handler: FanoutHandler): () => void {
    return this.inner.subscribe(handler);
  }

  watchRoom(room: string): Promise<void> {
    return this.inner.watchRoom?.(room) ?? Promise.resolve();
  }

  unwatchRoom(room: string): void {
    this.inner.unwatchRoom?.(room);
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
