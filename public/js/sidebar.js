import { h, timeElement } from './dom.js';
import { PUBLIC, privateKey, sortConversations } from './conversations.js';

/**
 * The left column: the public room, the conversation list (contract order, online dot,
 * unread count) and the online list. Each entry is a button that opens its conversation.
 */
export class Sidebar {
  constructor({ publicButton, conversationList, onlineList, onlineCount, meId, onOpen }) {
    this.publicButton = publicButton;
    this.conversationList = conversationList;
    this.onlineList = onlineList;
    this.onlineCount = onlineCount;
    this.meId = meId;
    this.onOpen = onOpen;
    this.conversations = [];
    this.online = new Map();
    this.unread = new Map();
    this.current = PUBLIC;
    publicButton.addEventListener('click', () => onOpen(PUBLIC));
  }

  /** Replaces the conversation list with the server's. */
  setConversations(entries) {
    this.conversations = entries.map((e) => ({ ...e, online: this.online.size ? this.online.has(e.id) : e.online }));
    this.render();
  }

  /** A private message with `userId` at `timestamp`: moves that conversation up. False if the user is unknown. */
  touch(userId, timestamp) {
    const entry = this.conversations.find((e) => e.id === userId);
    if (!entry) return false;
    if (entry.last_message_at === null || entry.last_message_at < timestamp) entry.last_message_at = timestamp;
    this.render();
    return true;
  }

  /** Replaces the online list (`online_users`). */
  setOnline(users) {
    this.online = new Map(users.map((u) => [u.id, u.nickname]));
    this.render();
  }

  /** Marks one user online or offline. */
  setPresence(userId, nickname, online) {
    if (online) this.online.set(userId, nickname);
    else this.online.delete(userId);
    this.render();
  }

  /** Whether user `userId` is online. */
  isOnline(userId) {
    return this.online.has(userId);
  }

  /** The nickname of user `userId`, if known. */
  nicknameOf(userId) {
    return this.online.get(userId) ?? this.conversations.find((e) => e.id === userId)?.nickname ?? null;
  }

  /** Whether the conversation list knows user `userId`. */
  knows(userId) {
    return this.conversations.some((e) => e.id === userId);
  }

  /** Sets the unread count of a conversation key. */
  setUnread(key, count) {
    this.unread.set(key, count);
    this.render();
  }

  /** Highlights the open conversation. */
  setCurrent(key) {
    this.current = key;
    this.render();
  }

  render() {
    this.renderBadge(this.publicButton, PUBLIC);
    this.publicButton.setAttribute('aria-current', String(this.current === PUBLIC));

    const sorted = sortConversations(this.conversations);
    this.conversationList.replaceChildren(
      ...sorted.map((entry) => {
        const key = privateKey(entry.id);
        const online = this.online.has(entry.id);
        const button = h(
          'button',
          {
            type: 'button',
            class: 'entry',
            dataset: { conversation: key, userId: String(entry.id) },
            'aria-current': String(this.current === key),
            onclick: () => this.onOpen(key),
          },
          h('span', { class: online ? 'dot online' : 'dot', title: online ? 'online' : 'offline' }),
          h('span', { class: 'entry-name', text: entry.nickname }),
          h('span', { class: 'visually-hidden', text: online ? ', online' : ', offline' }),
          entry.last_message_at ? h('span', { class: 'entry-meta' }, timeElement(entry.last_message_at)) : null,
          h('span', { class: 'badge', 'data-unread': true }),
        );
        this.renderBadge(button, key);
        return h('li', {}, button);
      }),
    );

    const people = [...this.online.entries()].sort((a, b) => a[1].toLowerCase().localeCompare(b[1].toLowerCase()));
    this.onlineCount.textContent = `(${people.length})`;
    this.onlineList.replaceChildren(
      ...people.map(([id, nickname]) =>
        id === this.meId
          ? h('li', { class: 'self', dataset: { userId: String(id) } }, h('span', { class: 'dot online' }), `${nickname} (you)`)
          : h(
              'li',
              { dataset: { userId: String(id) } },
              h('span', { class: 'dot online' }),
              h('button', { type: 'button', class: 'entry', onclick: () => this.onOpen(privateKey(id)), text: nickname }),
            ),
      ),
    );
  }

  renderBadge(button, key) {
    const badge = button.querySelector('[data-unread]');
    const count = this.unread.get(key) ?? 0;
    badge.hidden = count === 0;
    badge.textContent = count > 99 ? '99+' : String(count);
    badge.setAttribute('aria-label', `${count} unread`);
  }
}
