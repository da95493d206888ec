import type { MessageStore, NewMessage, OnStored } from '../history/message.store.js';
import type { ChatMetrics, StoreOperation } from './chat-metrics.js';

/**
 * A `MessageStore` that times every call of the store it wraps (failed calls included)
 * into `chat_store_duration_seconds`, and otherwise behaves exactly like it. An `append`
 * is timed without its `onStored` hook: the publish that follows the commit is measured
 * by the bus (`chat_fanout_publish_duration_seconds`), not counted as store time.
 */
export class MeteredMessageStore implements MessageStore {
  constructor(
    private readonly inner: MessageStore,
    private readonly metrics: ChatMetrics,
  ) {}

  /** Times the append minus the time spent in `onStored` (the publish that follows the commit). */
  async append(message: NewMessage, onStored?: OnStored) {
    let hookSeconds = 0;
    const timedHook: OnStored | undefined =
      onStored &&
      (async (stored) => {
        const started = performance.now();
        try {
          await onStored(stored);
        } finally {
          hookSeconds += (performance.now() - started) / 1000;
        }
      });
    const started = performance.now();
    try {
      return await this.inner.append(message, timedHook);
    } finally {
      this.metrics.stored('append', (performance.now() - started) / 1000 - hookSeconds);
    }
  }

  history(query: Parameters<MessageStore['history']>[0]) {
    return this.time('history', () => this.inner.history(query));
  }

  since(query: Parameters<MessageStore['since']>[0]) {
    return this.time('since', () => this.inner.since(query));
  }

  conversationPage(query: Parameters<MessageStore['conversationPage']>[0]) {
    return this.time('conversation_page', () => this.inner.conversationPage(query));
  }

  markConversationRead(mark: Parameters<MessageStore['markConversationRead']>[0]) {
    return this.time('mark_conversation_read', () => this.inner.markConversationRead(mark));
  }

  roomReadStates(query: Parameters<MessageStore['roomReadStates']>[0]) {
    return this.time('room_read_states', () => this.inner.roomReadStates(query));
  }

  markRoomRead(mark: Parameters<MessageStore['markRoomRead']>[0]) {
    return this.time('mark_room_read', () => this.inner.markRoomRead(mark));
  }

  find(id: number) {
    return this.time('find', () => this.inner.find(id));
  }

  edit(change: Parameters<MessageStore['edit']>[0]) {
    return this.time('edit', () => this.inner.edit(change));
  }

  remove(change: Parameters<MessageStore['remove']>[0]) {
    return this.time('remove', () => this.inner.remove(change));
  }

  changedSince(query: Parameters<MessageStore['changedSince']>[0]) {
    return this.time('changed_since', () => this.inner.changedSince(query));
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
