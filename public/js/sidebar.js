import { h, timeElement } from './dom.js';
import { PUBLIC, privateKey, sortConversations } from './conversations.js';

/**
 * The sidebar, rendered from the state: the public room, the conversation list (contract
 * order, online dot, unread count, mentions marked), and the online list, marked as the last
 * known one while the connection is down. Each entry is a button that opens its conversation.
 */
export function attachSidebar({ state, intents, publicButton, conversationList, onlineList, onlineCount, staleNote }) {
  publicButton.addEventListener('click', () => intents.open(PUBLIC));
  const ctx = { state, intents };

  function render() {
    renderBadge(publicButton, state.unread.get(PUBLIC));
    publicButton.setAttribute('aria-current', String(state.current === PUBLIC));
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

function renderBadge(button, unread) {
  const badge = button.querySelector('[data-unread]');
  const count = unread?.count ?? 0;
  badge.hidden = count === 0;
  badge.classList.toggle('mention', (unread?.mentions ?? 0) > 0);
  const mentions = unread?.mentions ? `, ${unread.mentions} mentioning you` : '';
  badge.replaceChildren(count > 99 ? '99+' : String(count), h('span', { class: 'visually-hidden', text: ` unread${mentions}` }));
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
