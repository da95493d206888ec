import { keyOfMessage, keyOfTyping, peerOfKey } from './conversations.js';
import { bridgePresence } from './presence-bridge.js';

/**
 * Feeds the typed client's events into the state's actions (the only way server data enters
 * the page), and asks for what a (re)connection needs: the room list, the conversation list
 * and the open conversation's history.
 */
export function bridgeClient({ client, state, intents, onSessionEnded }) {
  client.on('state', (connection) => state.setConnection(connection));
  client.on('reconnecting', ({ delayMs }) => state.setConnection('reconnecting', delayMs));
  client.on('presence_live', ({ live }) => state.setPresenceLive(live));
  client.on('open', () => {
    void intents.refreshRooms();
    void intents.refreshConversations();
    if (!state.messages.get(state.current).loaded) void intents.loadOlder(state.current);
  });
  client.on('session_ended', ({ unsent }) =>
    onSessionEnded(unsent.length ? `${unsent.length} message(s) were not sent.` : ''),
  );

  bridgePresence({ client, state, intents });

  const onMessage = (message) => {
    if (!state.receive(message)) return;
    if (message.type !== 'private_message') return;
    const peer = peerOfKey(keyOfMessage(message, state.me.id));
    if (!state.touchConversation(peer, message.timestamp)) void intents.refreshConversations();
  };
  client.on('chat_message', onMessage);
  client.on('private_message', onMessage);
  client.on('ack', ({ client_id, id }) => {
    if (client_id !== null) state.acked(client_id, id);
  });
  client.on('send_failed', ({ message, error }) => state.failPending(message.client_id, error.message));
  client.on('typing', (frame) => state.typing.update(frame, keyOfTyping(frame)));
  client.on('message_edited', (frame) => state.edited(frame));
  client.on('message_deleted', (frame) => state.deleted(frame));
  bridgeRooms({ client, state, intents });
}

/** Read state, rooms taken away, and this user's mutes (a moderator's `muted` of someone else is not about us). */
function bridgeRooms({ client, state, intents }) {
  // every socket is told its mutes afresh (lobby's after the online list, a room's after `joined`)
  client.on('open', () => state.mutes.clear());
  client.on('read', (frame) => state.applyRead(frame));
  // rooms not followed send nothing live: their counts are read again when the user comes back to the tab
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible' && client.state === 'open') void intents.refreshRooms();
  });
  client.on('left', (frame) => {
    if (frame.reason === 'access') intents.takenAway(frame.room);
  });
  client.on('muted', (frame) => {
    if (frame.user_id === state.me.id) state.mutes.muted(frame);
  });
  client.on('unmuted', (frame) => {
    if (frame.user_id === state.me.id) state.mutes.unmuted(frame);
  });
}
