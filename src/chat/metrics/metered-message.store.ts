import type { MessageStore, NewMessage, OnStored } from '../history/message.store.js';
import type { ChatMetrics, StoreOperation } from './chat-metrics.js';

/**
 * A `MessageStore` that times every call of the store it wraps (failed calls included)
 * into `chat_store_duration_seconds`, and otherwise behaves exactly like it.
 */
export class MeteredMessageStore implements MessageStore {
  constructor(
    private readonly inner: MessageStore,
    private readonly metrics: ChatMetrics,
  ) {}

  /** Times the append including `onStored` (the publish that follows the commit). */
  append(message: NewMessage, onStored?: OnStored) {
    return this.time('append', () => this.inner.append(message, onStored));
  }

  history(query: Parameters<MessageStore['history']>[0]) {
    return this.time('history', () => this.inner.history(query));
  }

  since(query: Parameters<MessageStore['since']>[0]) {
    return this.time('since', () => this.inner.since(query));
  }

  lastPrivateMessageTimes(viewerId: number) {
    return this.time('last_private_message_times', () => this.inner.lastPrivateMessageTimes(viewerId));
  }

  ping() {
    return this.time('ping', () => this.inner.ping());
  }

  close() {
    return this.inner.close();
  }

  private async time<T>(operation: StoreOperation, call: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await call();
    } finally {
      this.metrics.stored(operation, (performance.now() - started) / 1000);
    }
  }
}
