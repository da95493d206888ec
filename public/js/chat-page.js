import { ChatClient } from '../lib/client/index.js';
import { currentUser } from './api.js';
import { keyOfMessage, peerOfKey, privateKey, PUBLIC } from './conversations.js';
import { byId, h } from './dom.js';
import { MessageStore } from './message-store.js';
import { MessageView } from './message-view.js';
import { attachScrollBack } from './scroll-back.js';
import { Sidebar } from './sidebar.js';
import { TypingSender, TypingWatcher } from './typing.js';

/** Messages per scroll-back page. */
const PAGE_SIZE = 10;

const STATE_LABELS = {
  idle: 'Offline',
  connecting: 'Connecting…',
  open: 'Connected',
  reconnecting: 'Reconnecting…',
  closed: 'Offline',
  session_ended: 'Session ended',
};

function socketUrl() {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

/**
 * The chat view for the logged-in user `me`: connects the typed client to `/ws` on this
 * origin and wires it to the sidebar, the message list, scroll-back, typing and the
 * composer. Calls `onSessionEnded(reason)` once when the session is over (close 4401 or
 * logout). Returns `stop()` for a logout initiated by the page.
 */
export function startChat(me, { onSessionEnded }) {
  const scroller = byId('message-scroller');
  const input = byId('message-input');
  const stateLabel = byId('connection-state');
  const typingLine = byId('typing-indicator');
  const loadEarlier = byId('load-earlier');
  const historyStart = byId('history-start');
  const announcer = byId('announcer');
  byId('me-name').textContent = me.nickname;

  const client = new ChatClient({
    url: socketUrl,
    WebSocket: globalThis.WebSocket,
    checkSession: async () => (await currentUser()) !== null,
  });
  const store = new MessageStore();
  const view = new MessageView({ scroller, list: byId('message-list'), meId: me.id });
  const pending = new Map(); // client_id → { key, content }
  const ackedIds = new Map(); // message id → client_id, until the stored copy is shown
  const typingSender = new TypingSender(client);
  const typingWatcher = new TypingWatcher(renderTyping);
  let current = PUBLIC;
  let ended = false;

  const sidebar = new Sidebar({
    publicButton: byId('public-room-button'),
    conversationList: byId('conversation-list'),
    onlineList: byId('online-list'),
    onlineCount: byId('online-count'),
    meId: me.id,
    onOpen: (key) => open(key, { focus: true }),
  });

  const scrollBack = attachScrollBack(scroller, {
    canLoad: () => client.state === 'open' && store.get(current).hasMore && !store.get(current).loading,
    load: () => loadOlder(current),
  });
  loadEarlier.addEventListener('click', () => void scrollBack.check());

  // --- connection ---
  client.on('state', (state) => {
    stateLabel.dataset.state = state;
    stateLabel.textContent = STATE_LABELS[state];
  });
  client.on('reconnecting', ({ delayMs }) => {
    stateLabel.textContent = delayMs >= 1000 ? `Reconnecting in ${Math.round(delayMs / 1000)} s…` : 'Reconnecting…';
  });
  client.on('open', () => {
    void refreshConversations();
    if (!store.get(current).loaded) void loadOlder(current);
  });
  client.on('session_ended', ({ unsent }) => end(unsent.length ? `${unsent.length} message(s) were not sent.` : ''));

  // --- presence ---
  client.on('online_users', ({ users }) => sidebar.setOnline(users));
  client.on('user_joined', (f) => {
    sidebar.setPresence(f.user_id, f.nickname, true);
    if (f.user_id !== me.id && !sidebar.knows(f.user_id)) void refreshConversations();
    renderHeader();
  });
  client.on('user_left', (f) => {
    sidebar.setPresence(f.user_id, f.nickname, false);
    typingWatcher.clear(f.user_id);
    renderHeader();
  });

  // --- messages ---
  const onMessage = (message) => {
    const key = keyOfMessage(message, me.id);
    if (!store.add(key, message)) return;
    if (message.type === 'private_message') {
      const peer = peerOfKey(key);
      if (!sidebar.touch(peer, message.timestamp)) void refreshConversations();
    }
    if (message.user_id !== me.id) typingWatcher.clear(message.user_id);
    const clientId = ackedIds.get(message.id);
    if (clientId) settle(clientId, message.id);
    if (message.user_id !== me.id) announce(key, message);
    if (key === current) view.insert(message);
    else if (message.user_id !== me.id) {
      const conversation = store.get(key);
      conversation.unread += 1;
      sidebar.setUnread(key, conversation.unread);
    }
  };
  client.on('chat_message', onMessage);
  client.on('private_message', onMessage);
  client.on('ack', ({ client_id, id }) => {
    if (client_id === null || !pending.has(client_id)) return;
    if (store.has(id)) settle(client_id, id);
    else ackedIds.set(id, client_id);
  });
  client.on('send_failed', ({ message, error }) => {
    pending.delete(message.client_id);
    view.failPending(message.client_id, error.message);
  });
  client.on('typing', (frame) => typingWatcher.update(frame));

  /** Reads a new message out to screen readers (history and conversation switches stay silent). */
  function announce(key, message) {
    const where = key === PUBLIC ? 'in the public room' : 'privately';
    announcer.append(h('p', { text: `${message.nickname} ${where}: ${message.content}` }));
    while (announcer.childElementCount > 5) announcer.firstElementChild.remove();
  }

  function settle(clientId, id) {
    pending.delete(clientId);
    ackedIds.delete(id);
    view.removePending(clientId);
  }

  // --- conversations ---
  async function refreshConversations() {
    try {
      sidebar.setConversations(await client.requestConversations());
      renderHeader();
    } catch (error) {
      if (client.state === 'open') console.warn('conversation list failed', error);
    }
  }

  /** Fetches the next older page of `key` (the latest page the first time). Never rejects. */
  async function loadOlder(key) {
    const conversation = store.get(key);
    if (conversation.loading || (conversation.loaded && !conversation.hasMore)) return;
    conversation.loading = true;
    renderEarlier();
    try {
      const peer = peerOfKey(key);
      const page = await client.requestHistory({
        ...(peer === null ? {} : { with: peer }),
        ...(conversation.loaded || conversation.messages.size ? { before: store.oldestId(key) } : {}),
        limit: PAGE_SIZE,
      });
      const added = page.messages.filter((m) => store.add(key, m));
      conversation.hasMore = page.has_more;
      const first = !conversation.loaded;
      conversation.loaded = true;
      if (key === current) {
        if (first) showConversation();
        else view.insertOlder(added);
      }
    } catch (error) {
      // disconnected meanwhile: the next `open` loads it again
      if (client.state === 'open') console.warn('history request failed', error);
    } finally {
      conversation.loading = false;
      renderEarlier();
    }
  }

  function open(key, { focus = false } = {}) {
    if (key !== current) typingSender.stop();
    current = key;
    history.replaceState(null, '', `#${key}`);
    const conversation = store.get(key);
    conversation.unread = 0;
    sidebar.setUnread(key, 0);
    sidebar.setCurrent(key);
    showConversation();
    if (!conversation.loaded && client.state === 'open') void loadOlder(key);
    if (focus) input.focus();
  }

  function showConversation() {
    const mine = [...pending.entries()].filter(([, p]) => p.key === current).map(([clientId, p]) => ({ clientId, content: p.content }));
    view.show(store.sorted(current), mine);
    renderHeader();
    renderTyping();
    renderEarlier();
  }

  function renderHeader() {
    const peer = peerOfKey(current);
    const title = byId('room-title');
    const subtitle = byId('room-subtitle');
    if (peer === null) {
      title.textContent = '# Public room';
      subtitle.textContent = 'Everyone on the forum';
      input.placeholder = 'Message the public room…';
    } else {
      const name = sidebar.nicknameOf(peer) ?? `user ${peer}`;
      title.textContent = `@ ${name}`;
      subtitle.textContent = sidebar.isOnline(peer) ? 'online' : 'offline';
      input.placeholder = `Message ${name}…`;
    }
  }

  function renderEarlier() {
    const conversation = store.get(current);
    loadEarlier.hidden = !(conversation.loaded && conversation.hasMore);
    loadEarlier.disabled = conversation.loading;
    loadEarlier.textContent = conversation.loading ? 'Loading…' : 'Load earlier messages';
    historyStart.hidden = !(conversation.loaded && !conversation.hasMore);
  }

  function renderTyping() {
    const peer = peerOfKey(current);
    const name = peer === null ? null : typingWatcher.nicknameOf(peer);
    typingLine.textContent = name ? `${name} is typing…` : '';
  }

  // --- presence: appear offline (leave) and back (join) ---
  const presenceToggle = byId('presence-toggle');
  presenceToggle.addEventListener('click', () => {
    const hidden = presenceToggle.getAttribute('aria-pressed') === 'true';
    if (hidden) client.join();
    else client.leave();
    presenceToggle.setAttribute('aria-pressed', String(!hidden));
  });

  // --- composer ---
  const composer = byId('composer');
  composer.addEventListener('submit', (event) => {
    event.preventDefault();
    const content = input.value.trim();
    if (!content) return;
    const peer = peerOfKey(current);
    typingSender.stop();
    const sent = peer === null ? client.sendChatMessage(content) : client.sendPrivateMessage(peer, content);
    pending.set(sent.clientId, { key: current, content });
    view.addPending({ clientId: sent.clientId, content });
    input.value = '';
    autosize();
    input.focus();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      composer.requestSubmit();
    }
  });
  input.addEventListener('input', () => {
    autosize();
    const peer = peerOfKey(current);
    if (peer !== null && input.value.trim() !== '') typingSender.input(peer);
  });
  function autosize() {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, 144)}px`;
  }

  function end(note) {
    if (ended) return;
    ended = true;
    typingSender.stop();
    client.close();
    onSessionEnded(note);
  }

  // --- start ---
  const initial = location.hash.slice(1);
  open(initial.startsWith('u/') && Number(initial.slice(2)) > 0 ? privateKey(Number(initial.slice(2))) : PUBLIC);
  client.connect();
  input.focus();

  return {
    client,
    /** Ends the chat view without waiting for the server (used after logout). */
    stop: (note = '') => end(note),
  };
}
