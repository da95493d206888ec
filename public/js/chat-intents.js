import { peerOfKey } from './conversations.js';
import { codePointLength, MAX_CONTENT_CHARS } from './text.js';

/** Messages per scroll-back page. */
export const PAGE_SIZE = 10;

/**
 * What the user (or the page) can ask for: each intent talks to the typed client and records
 * the outcome through the state's actions. Views call these; they never touch the client.
 */
export function createIntents({ client, state, typingSender }) {
  /** Fetches the next older page of `key` (the latest page the first time). Never rejects. */
  async function loadOlder(key = state.current) {
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

  async function refreshConversations() {
    try {
      state.setConversations(await client.requestConversations());
    } catch (error) {
      if (client.state === 'open') console.warn('conversation list failed', error);
    }
  }

  function open(key) {
    if (key !== state.current) typingSender.stop();
    history.replaceState(null, '', `#${key}`);
    state.open(key);
    if (!state.messages.get(key).loaded) void loadOlder(key);
  }

  /** Sends `text` to the open conversation. Returns why it was not sent, or null. */
  function send(text) {
    const content = text.trim();
    if (!content) return 'empty';
    if (codePointLength(content) > MAX_CONTENT_CHARS) return 'too long';
    const peer = peerOfKey(state.current);
    typingSender.stop();
    const sent = peer === null ? client.sendChatMessage(content) : client.sendPrivateMessage(peer, content);
    state.addPending(sent.clientId, state.current, content);
    return null;
  }

  function typed(text) {
    const peer = peerOfKey(state.current);
    if (peer !== null && text.trim() !== '') typingSender.input(peer);
  }

  function toggleAppearOffline() {
    const hide = !state.appearOffline;
    if (hide) client.leave();
    else client.join();
    state.setAppearOffline(hide);
  }

  return {
    loadOlder,
    refreshConversations,
    open,
    send,
    typed,
    toggleAppearOffline,
    reconnectNow: () => client.reconnectNow(),
    seeing: (seeing) => state.setSeeing(seeing),
  };
}
