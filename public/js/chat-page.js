import { ChatClient } from '../lib/client/index.js';
import { currentUser } from './api.js';
import { attachAnnouncer } from './announcer.js';
import { ChatState } from './chat-state.js';
import { createIntents } from './chat-intents.js';
import { bridgeClient } from './client-bridge.js';
import { attachComposer } from './composer.js';
import { attachComposerGuard } from './composer-guard.js';
import { attachConnectionView } from './connection-view.js';
import { PUBLIC, privateKey, roomKey } from './conversations.js';
import { byId } from './dom.js';
import { attachDrawer } from './drawer.js';
import { attachHistoryControls } from './history-controls.js';
import { MessageView } from './message-view.js';
import { attachNotice } from './notice-view.js';
import { attachReadMarker } from './read-marker.js';
import { attachRoomHeader } from './room-header-view.js';
import { attachRoomsView } from './rooms-view.js';
import { attachSidebar } from './sidebar.js';
import { attachTitle } from './title-view.js';
import { TypingSender } from './typing.js';
import { attachUserSearch } from './user-search-view.js';

function socketUrl() {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
}

/** The conversation named by the address (`#u/7`, `#r/news`), or the public room. */
function initialKey() {
  const hash = location.hash.slice(1);
  if (/^r\/[a-z0-9][a-z0-9_-]{0,63}$/.test(hash)) return roomKey(hash.slice(2));
  const peer = hash.startsWith('u/') ? Number(hash.slice(2)) : 0;
  return Number.isInteger(peer) && peer > 0 ? privateKey(peer) : PUBLIC;
}

/**
 * The chat view for the logged-in user `me`: connects the typed client to `/ws` on this
 * origin, and wires client → state → views (one way; views act through intents). Calls
 * `onSessionEnded(note)` once when the session is over (close 4401 or logout). Returns
 * `stop()` for a logout initiated by the page.
 */
export function startChat(me, { onSessionEnded }) {
  const client = new ChatClient({
    url: socketUrl,
    WebSocket: globalThis.WebSocket,
    checkSession: async () => (await currentUser()) !== null,
    capabilities: ['presence_changes'], // a count, pages and one coalesced frame per tick, at any forum size
  });
  const state = new ChatState(me);
  const typingSender = new TypingSender(client);
  const intents = createIntents({ client, state, typingSender });
  let ended = false;
  const end = (note) => {
    if (ended) return;
    ended = true;
    typingSender.stop();
    client.close();
    onSessionEnded(note);
  };
  attachViews(state, intents);
  attachReadMarker({ client, state });
  bridgeClient({ client, state, intents, onSessionEnded: end });
  intents.open(initialKey());
  client.connect();
  byId('message-input').focus();
  return { client, stop: (note = '') => end(note) };
}

function attachViews(state, intents) {
  const input = byId('message-input');
  byId('me-name').textContent = state.me.nickname;
  const openAndFocus = { ...intents, open: (key) => (intents.open(key), input.focus()) };
  attachDrawer({ state, root: byId('chat-view'), toggle: byId('drawer-toggle'), close: byId('drawer-close'), unreadBadge: byId('drawer-unread'), drawer: byId('sidebar'), backdrop: byId('drawer-backdrop') });
  attachRoomsView({ state, intents: openAndFocus, list: byId('room-list'), publicButton: byId('public-room-button') });
  attachSidebar({
    state,
    intents: openAndFocus,
    conversationList: byId('conversation-list'),
    onlineList: byId('online-list'),
    onlineCount: byId('online-count'),
    staleNote: byId('online-stale'),
  });
  attachConnectionView({ state, intents, pill: byId('connection-state'), banner: byId('connection-banner'), detail: byId('connection-detail'), reconnectNow: byId('reconnect-now') });
  attachUserSearch({ state, intents: openAndFocus, form: byId('user-search'), input: byId('user-search-input'), status: byId('user-search-status'), results: byId('user-search-results'), more: byId('user-search-more') });
  attachRoomHeader({ state, intents, title: byId('room-title'), subtitle: byId('room-subtitle'), input, typingLine: byId('typing-indicator'), leave: byId('leave-room') });
  attachNotice({ state, intents, banner: byId('notice'), text: byId('notice-text'), dismiss: byId('notice-dismiss'), input });
  new MessageView({ state, intents, scroller: byId('message-scroller'), list: byId('message-list'), newMessages: byId('new-messages') });
  attachHistoryControls({ state, intents, scroller: byId('message-scroller'), button: byId('load-earlier'), start: byId('history-start') });
  attachComposer({ state, intents, form: byId('composer'), input, counter: byId('composer-count'), sendButton: byId('send-button') });
  attachComposerGuard({ state, input, sendButton: byId('send-button'), reason: byId('composer-blocked') });
  attachAnnouncer({ state, region: byId('announcer') });
  attachTitle({ state });
  attachPresenceToggle(state, intents, byId('presence-toggle'));
  const visibility = () => intents.seeing({ visible: document.visibilityState === 'visible' });
  document.addEventListener('visibilitychange', visibility);
  visibility();
}

function attachPresenceToggle(state, intents, button) {
  button.addEventListener('click', () => intents.toggleAppearOffline());
  state.subscribe((change) => {
    if (change.kind === 'presence') button.setAttribute('aria-pressed', String(state.appearOffline));
  });
}
