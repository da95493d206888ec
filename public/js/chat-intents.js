import { LOBBY, peerOfKey, readTargetOf, roomOfKey } from './conversations.js';
import { createRoomIntents } from './room-intents.js';
import { codePointLength, MAX_CONTENT_CHARS } from './text.js';

/** Messages per scroll-back page. */
export const PAGE_SIZE = 10;

/**
 * What the user (or the page) can ask for: each intent talks to the typed client and records
 * the outcome through the state's actions. Views call these; they never touch the client.
 */
export function createIntents({ client, state, typingSender }) {
  const ctx = { client, state, typingSender };
  const openKey = (key) => open(ctx, rooms, key);
  const rooms = createRoomIntents({ client, state, open: openKey });
  return {
    ...rooms,
    loadOlder: (key = state.current) => loadOlder(ctx, key),
    refreshConversations: () => refreshConversations(ctx),
    open: openKey,
    send: (text) => send(ctx, text),
    typed: (text) => {
      const target = typingTarget(state.current);
      if (target !== null && text.trim() !== '' && state.composerBlock() === null) typingSender.input(target);
    },
    toggleAppearOffline: () => {
      const hide = !state.appearOffline;
      if (hide) client.leave();
      else client.join();
      state.setAppearOffline(hide);
    },
    reconnectNow: () => client.reconnectNow(),
    seeing: (seeing) => state.setSeeing(seeing),
    searchUsers: (prefix, more = false) => searchUsers(ctx, prefix, more),
    dismissNotice: () => state.dismissNotice(),
  };
}

/** Where typing in `key` is announced: the peer's id, `{ room }`, or null (the public room relays none). */
function typingTarget(key) {
  const peer = peerOfKey(key);
  if (peer !== null) return peer;
  const room = roomOfKey(key);
  return room === LOBBY ? null : { room };
}

/** Fetches the next older page of `key` (the latest page the first time). Never rejects. */
async function loadOlder({ client, state }, key) {
  const conversation = state.messages.get(key);
  if (client.state !== 'open' || conversation.loading || (conversation.loaded && !conversation.hasMore)) return;
  state.setLoading(key, true);
  try {
    const target = readTargetOf(key);
    const older = conversation.loaded || conversation.messages.size > 0;
    const page = await client.requestHistory({
      ...(target.with !== undefined ? { with: target.with } : target.room === LOBBY ? {} : { room: target.room }),
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

function open(ctx, rooms, key) {
  const { state, typingSender } = ctx;
  if (key !== state.current) typingSender.stop();
  history.replaceState(null, '', `#${key}`);
  const peer = peerOfKey(key);
  if (peer !== null) state.addConversation(peer);
  const room = roomOfKey(key);
  if (room !== null && room !== LOBBY && state.connection.state === 'open') void rooms.followRoom(room);
  state.open(key);
  if (!state.messages.get(key).loaded) void loadOlder(ctx, key);
}

/** Sends `text` to the open conversation. Returns why it was not sent, or null. */
function send({ client, state, typingSender }, text) {
  const content = text.trim();
  if (!content) return 'empty';
  if (codePointLength(content) > MAX_CONTENT_CHARS) return 'too long';
  if (state.composerBlock() !== null) return 'blocked';
  const peer = peerOfKey(state.current);
  typingSender.stop();
  const sent =
    peer === null
      ? client.sendChatMessage(content, { room: roomOfKey(state.current) })
      : client.sendPrivateMessage(peer, content);
  state.addPending(sent.clientId, state.current, content);
  return null;
}

/** Searches users by nickname prefix (`more`: the next page of the same search). Never rejects. */
async function searchUsers({ client, state }, prefix, more) {
  const query = prefix.trim();
  if (query === '') return state.setSearch({ prefix: '', users: [], hasMore: false, status: 'idle' });
  if (!more && query === state.search.prefix && state.search.status !== 'error') return; // asked already
  const after = more ? state.search.users.at(-1)?.nickname : undefined;
  state.setSearch({ prefix: query, status: 'loading', ...(more ? {} : { users: [], hasMore: false }) });
  try {
    const page = await client.searchUsers(query, after);
    if (state.search.prefix !== query) return; // a newer search took over
    const users = more ? [...state.search.users, ...page.users] : page.users;
    state.setSearch({ users, hasMore: page.has_more, status: 'done' });
  } catch (error) {
    if (state.search.prefix === query) state.setSearch({ status: 'error', error: error.message ?? String(error) });
  }
}
