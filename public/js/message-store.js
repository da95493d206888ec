/**
 * The messages the page holds, per conversation key, each once (by id), with what
 * scroll-back needs: whether older messages exist and whether a request is out.
 */
export class MessageStore {
  constructor() {
    this.conversations = new Map();
  }

  /** The state of one conversation, created empty on first use. */
  get(key) {
    let conversation = this.conversations.get(key);
    if (!conversation) {
      conversation = { key, messages: new Map(), loaded: false, hasMore: true, loading: false };
      this.conversations.set(key, conversation);
    }
    return conversation;
  }

  /** Adds a message; false when that id is already there. */
  add(key, message) {
    const conversation = this.get(key);
    if (conversation.messages.has(message.id)) return false;
    conversation.messages.set(message.id, message);
    return true;
  }

  /** True when any conversation holds message `id`. */
  has(id) {
    for (const conversation of this.conversations.values()) if (conversation.messages.has(id)) return true;
    return false;
  }

  /** Message `id` and the key of its conversation, or null when the page does not hold it. */
  find(id) {
    for (const conversation of this.conversations.values()) {
      const message = conversation.messages.get(id);
      if (message) return { key: conversation.key, message };
    }
    return null;
  }

  /** Replaces a held message with `message` (same id); false when it is not held. */
  replace(message) {
    const found = this.find(message.id);
    if (!found) return false;
    this.get(found.key).messages.set(message.id, message);
    return true;
  }

  /** The messages of a conversation, oldest first. */
  sorted(key) {
    return [...this.get(key).messages.values()].sort((a, b) => a.id - b.id);
  }

  /** The smallest id held for a conversation, or undefined. */
  oldestId(key) {
    let oldest;
    for (const id of this.get(key).messages.keys()) if (oldest === undefined || id < oldest) oldest = id;
    return oldest;
  }
}
