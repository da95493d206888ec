import { h, timeElement } from './dom.js';

/**
 * The message list of the open conversation: stored messages in id order, then the
 * user's messages still waiting for their ack. Content is plain text (`textContent`).
 * Keeps the view pinned to the bottom when the user was there, and keeps the visible
 * messages in place when older ones are inserted above.
 */
export class MessageView {
  constructor({ scroller, list, meId }) {
    this.scroller = scroller;
    this.list = list;
    this.meId = meId;
  }

  /** Replaces the content with `messages` (oldest first) and `pending` ({ clientId, content }). */
  show(messages, pending) {
    this.list.replaceChildren(...messages.map((m) => this.messageItem(m)), ...pending.map((p) => this.pendingItem(p)));
    this.scrollToBottom();
  }

  /** Inserts one new message at its place; follows it when the view was at the bottom or it is ours. */
  insert(message) {
    const follow = this.nearBottom() || message.user_id === this.meId;
    this.place(this.messageItem(message));
    if (follow) this.scrollToBottom();
  }

  /** Inserts older messages above without moving what the user is looking at. */
  insertOlder(messages) {
    const before = this.scroller.scrollHeight;
    const top = this.scroller.scrollTop;
    for (const message of messages) this.place(this.messageItem(message));
    this.scroller.scrollTop = top + (this.scroller.scrollHeight - before);
  }

  /** Shows a message sent but not yet acknowledged. */
  addPending({ clientId, content }) {
    this.list.append(this.pendingItem({ clientId, content }));
    this.scrollToBottom();
  }

  /** Removes the waiting copy of a message (its stored copy is shown or about to be). */
  removePending(clientId) {
    this.pendingNode(clientId)?.remove();
  }

  /** Marks a waiting message as refused. */
  failPending(clientId, reason) {
    const node = this.pendingNode(clientId);
    if (!node) return;
    node.classList.replace('pending', 'failed');
    node.querySelector('.status').textContent = `Not sent: ${reason}`;
  }

  nearBottom() {
    const s = this.scroller;
    return s.scrollHeight - s.scrollTop - s.clientHeight < 60;
  }

  scrollToBottom() {
    this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  pendingNode(clientId) {
    return [...this.list.querySelectorAll('li[data-client-id]')].find((li) => li.dataset.clientId === clientId);
  }

  place(item) {
    const id = Number(item.dataset.id);
    const items = this.list.querySelectorAll('li[data-id]');
    for (let i = items.length - 1; i >= 0; i--) {
      const current = Number(items[i].dataset.id);
      if (current === id) return;
      if (current < id) {
        items[i].after(item);
        return;
      }
    }
    this.list.prepend(item);
  }

  messageItem(message) {
    const mine = message.user_id === this.meId;
    return h(
      'li',
      { class: mine ? 'message mine' : 'message', dataset: { id: String(message.id) } },
      h('div', { class: 'meta' }, h('span', { class: 'author', text: mine ? 'You' : message.nickname }), timeElement(message.timestamp)),
      h('p', { class: 'content', text: message.content }),
    );
  }

  pendingItem({ clientId, content }) {
    return h(
      'li',
      { class: 'message mine pending', dataset: { clientId } },
      h('div', { class: 'meta' }, h('span', { class: 'author', text: 'You' }), h('span', { class: 'status', text: 'Sending…' })),
      h('p', { class: 'content', text: content }),
    );
  }
}
