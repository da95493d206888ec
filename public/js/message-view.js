import { h } from './dom.js';
import { decorate, messageItem, pendingItem } from './message-items.js';

/** Within this many pixels of the bottom counts as "at the bottom". */
const BOTTOM_SLACK_PX = 60;

/**
 * The message list of the open conversation, rendered from the state: stored messages in id
 * order, then the user's messages waiting for their ack. Keeps the view pinned to the bottom
 * when the user was there, keeps the visible messages in place when older ones arrive above,
 * and, scrolled up, shows "New messages" instead of jumping; at the bottom, it stays there when
 * the content grows (a late font or emoji) or the view shrinks. Reports whether the user sees
 * the newest messages through `intents.seeing`.
 */
export class MessageView {
  constructor({ state, intents, scroller, list, newMessages }) {
    Object.assign(this, { state, intents, scroller, list, newMessages });
    this.pinned = true; // at the bottom as of the last scroll: stays there when content grows (fonts, emoji)
    scroller.addEventListener('scroll', () => this.reportSeeing(), { passive: true });
    const keepPinned = new ResizeObserver(() => {
      if (this.pinned) this.scrollToBottom();
    });
    keepPinned.observe(list);
    keepPinned.observe(scroller); // a banner or the composer's notice takes height from the list
    newMessages.addEventListener('click', () => {
      this.scrollToBottom();
      this.scroller.focus();
    });
    state.subscribe((change) => this.apply(change));
  }

  apply(change) {
    const current = this.state.current;
    if (change.kind === 'open') {
      this.unreadAfter = change.unreadAfter;
      this.show();
    } else if (change.kind === 'unread') this.unreadChanged(change.fromServer);
    else if (change.key !== current) return;
    else if (change.kind === 'history') change.first ? this.show() : this.insertOlder(change.added);
    else if (change.kind === 'message') this.insert(change.message);
    else if (change.kind === 'changed') this.replace(change.message);
    else if (change.kind === 'pending') this.addPending(change.clientId);
    else if (change.kind === 'settled') this.pendingNode(change.clientId)?.remove();
    else if (change.kind === 'failed') this.pendingNode(change.clientId)?.replaceWith(this.pendingOf(change.clientId));
  }

  /**
   * The unread count changed. When the server's read state arrives after the conversation was
   * opened (the first load), the "New" line is placed where its read position says.
   */
  unreadChanged(fromServer) {
    const entry = this.state.unread.get(this.state.current);
    if (fromServer && (this.unreadAfter ?? null) === null && entry?.count > 0) {
      this.unreadAfter = entry.readId;
      this.show();
    }
    this.renderNewMessages();
  }

  /** The first message of someone else after the read position, or null. */
  firstUnreadId() {
    if ((this.unreadAfter ?? null) === null) return null;
    const { state } = this;
    return state.messages.sorted(state.current).find((m) => m.id > this.unreadAfter && m.user_id !== state.me.id)?.id ?? null;
  }

  /** Replaces the list with the open conversation; the first unread message gets a "New" line above it. */
  show() {
    const firstUnreadId = this.firstUnreadId();
    const { state } = this;
    const items = state.messages.sorted(state.current).map((m) => messageItem(m, state.me));
    this.list.replaceChildren(...items, ...state.pendingOf(state.current).map((p) => pendingItem(p, state.me)));
    decorate(this.list);
    const first = firstUnreadId === null ? null : this.itemOf(firstUnreadId);
    if (first) {
      first.before(h('li', { class: 'unread-line', text: 'New' }));
      first.previousElementSibling.scrollIntoView({ block: 'start' });
    } else this.scrollToBottom();
    this.reportSeeing();
  }

  insert(message) {
    const follow = this.nearBottom() || message.user_id === this.state.me.id;
    this.place(messageItem(message, this.state.me));
    decorate(this.list);
    if (follow) this.scrollToBottom();
    this.reportSeeing();
  }

  /** An edited or deleted message takes the place of its old item, where it was. */
  replace(message) {
    const old = this.itemOf(message.id);
    if (!old) return;
    old.replaceWith(messageItem(message, this.state.me));
    decorate(this.list);
  }

  insertOlder(messages) {
    const before = this.scroller.scrollHeight;
    const top = this.scroller.scrollTop;
    for (const message of messages) this.place(messageItem(message, this.state.me));
    decorate(this.list);
    this.scroller.scrollTop = top + (this.scroller.scrollHeight - before);
  }

  addPending(clientId) {
    this.list.append(this.pendingOf(clientId));
    this.scrollToBottom();
    this.reportSeeing();
  }

  pendingOf(clientId) {
    return pendingItem({ clientId, ...this.state.pending.get(clientId) }, this.state.me);
  }

  renderNewMessages() {
    const unseen = this.state.unread.countOf(this.state.current);
    this.newMessages.hidden = unseen === 0;
    this.newMessages.textContent = unseen === 1 ? '1 new message ↓' : `${unseen} new messages ↓`;
  }

  reportSeeing() {
    this.pinned = this.nearBottom();
    this.intents.seeing({ atBottom: this.pinned });
  }

  nearBottom() {
    const s = this.scroller;
    return s.scrollHeight - s.scrollTop - s.clientHeight < BOTTOM_SLACK_PX;
  }

  scrollToBottom() {
    this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  itemOf(id) {
    return this.list.querySelector(`li[data-id="${Number(id)}"]`);
  }

  pendingNode(clientId) {
    return [...this.list.querySelectorAll('li[data-client-id]')].find((li) => li.dataset.clientId === clientId);
  }

  /** Inserts a stored message at its id's place (before any waiting ones). */
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
}
