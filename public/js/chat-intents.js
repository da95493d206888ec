import { peerOfKey } from './conversations.js';
import { codePointLength, MAX_CONTENT_CHARS } from './text.js';

/** Messages per scroll-back page. */
export const PAGE_SIZE = 10;

/**
 * What the user (or the page) can ask for: each intent talks to the typed client and records
 * the outcome through the state's actions. Views call these; they never touch the client.
 */
export function createIntents({ client, state, typingSender }) {
  const ctx = { client, state, typingSender };
  return {
    loadOlder: (key = state.current) => loadOlder(ctx, key),
    refreshConversations: () => refreshConversations(ctx),
    open: (key) => open(ctx, key),
    send: (text) => send(ctx, text),
    typed: (text) => {
      const peer = peerOfKey(state.current);
      if (peer !== null && text.trim() !== '') typingSender.input(peer);
    },
    toggleAppearOffline: () => {
      const hide = !state.appearOffline;
      if (hide) client.leave();
      else client.join();
      state.setAppearOffline(hide);
    },
    reconnectNow: () => client.reconnectNow(),
    seeing: (seeing) => state.setSeeing(seeing),
  };
}

/** Fetches the next older page of `key` (the latest page the first time). Never rejects. */
async function loadOlder({ client, state }, key) {
  const conversation = state.messages.get(key);
  if (client.state !== 'open' || conversation.loading || (conversation.loaded && !conversation.hasMore)) return;
  state.setLoading(key, true);
  try {
    const peer = peerOfKey(key);
    const older = conversation.loaded || conversation.messages.size > 0;
    const page = await client.requestHistory({
      ...(peer === null ? {} : { with: peer }),
      ...(older ? { before: state.messages.oldestId(key) } : {}),
      limit: PAGE_SIZE,
    });
    state.addHistory(key, page, !conversation.loaded);
  } catch (error) {
    // disconnected meanwhile: the next `open` loads it again
    if (client.state === 'open') console.warn('history request failed', error);
  } finally {
    state.setLoading(key, false);
  }
}

/** Asks for the conversation list and hands it to the state. Never rejects. */
async function refreshConversations({ client, state }) {
  try {
    state.setConversations(await client.requestConversations());
  } catch (error) {
    if (client.state === 'open') console.warn('conversation list failed', error);
  }
}

function open(ctx, key) {
  const { state, typingSender } = ctx;
  if (key !== state.current) typingSender.stop();
  history.replaceState(null, '', `#${key}`);
  const peer = peerOfKey(key);
  if (peer !== null) state.addConversation(peer);
  state.open(key);
  if (!state.messages.get(key).loaded) void loadOlder(ctx, key);
}

/** Sends `text` to the open conversation. Returns why it was not sent, or null. */
function send({ client, state, typingSender }, text) {
  const content = text.trim();
  if (!content) return 'empty';
  if (codePointLength(content) > MAX_CONTENT_CHARS) return 'too long';
  const peer = peerOfKey(state.current);
  typingSender.stop();
  const sent = peer === null ? client.sendChatMessage(content) : client.sendPrivateMessage(peer, content);
  state.addPending(sent.clientId, state.current, content);
  return null;
}
