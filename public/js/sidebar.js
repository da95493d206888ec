import { renderBadge } from './badge.js';
import { h, timeElement } from './dom.js';
import { privateKey, sortConversations } from './conversations.js';

/**
 * The people part of the sidebar, rendered from the state: the conversation list (contract
 * order, online dot, unread count from the server's read state, mentions marked), and the
 * online list, marked as the last known one while the connection is down. Each entry is a
 * button that opens its conversation.
 */
export function attachSidebar({ state, intents, conversationList, onlineList, onlineCount, staleNote }) {
  const ctx = { state, intents };

  function render() {
    conversationList.replaceChildren(...sortConversations(state.conversations).map((e) => conversationItem(ctx, e)));
    renderOnline();
  }

  function renderOnline() {
    const people = [...state.online.entries()].sort((a, b) => a[1].toLowerCase().localeCompare(b[1].toLowerCase()));
    onlineCount.textContent = `(${Math.max(state.onlineCount, people.length)})`;
    const stale = !state.presenceLive && state.connection.state !== 'open';
    onlineList.classList.toggle('stale', stale);
    staleNote.hidden = !stale;
    onlineList.replaceChildren(...people.map(([id, nickname]) => onlineItem(ctx, id, nickname)));
  }

  state.subscribe((change) => {
    if (['presence', 'conversations', 'unread', 'open', 'connection'].includes(change.kind)) render();
  });
  render();
}

/** A private conversation's entry: online dot, nickname, last message time, unread badge. */
function conversationItem({ state, intents }, entry) {
  const key = privateKey(entry.id);
  const online = state.isOnline(entry.id); // the conversation list's flag, kept current by presence frames
  const button = h(
    'button',
    {
      type: 'button',
      class: 'entry',
      dataset: { conversation: key, userId: String(entry.id) },
      'aria-current': String(state.current === key),
      onclick: () => intents.open(key),
    },
    h('span', { class: online ? 'dot online' : 'dot', title: online ? 'online' : 'offline' }),
    h('span', { class: 'entry-name', dir: 'auto', text: entry.nickname }),
    h('span', { class: 'visually-hidden', text: online ? ', online' : ', offline' }),
    entry.last_message_at ? h('span', { class: 'entry-meta' }, timeElement(entry.last_message_at)) : null,
    h('span', { class: 'badge', 'data-unread': true }),
  );
  renderBadge(button, state.unread.get(key));
  return h('li', {}, button);
}

/** An online user: a button opening the conversation with them (not for oneself). */
function onlineItem({ state, intents }, id, nickname) {
  if (id === state.me.id) {
    return h(
      'li',
      { class: 'self', dataset: { userId: String(id) } },
      h('span', { class: 'dot online' }),
      h('span', { dir: 'auto', text: `${nickname} (you)` }),
    );
  }
  return h(
    'li',
    { dataset: { userId: String(id) } },
    h('span', { class: 'dot online' }),
    h('button', { type: 'button', class: 'entry', dir: 'auto', onclick: () => intents.open(privateKey(id)), text: nickname }),
  );
}
