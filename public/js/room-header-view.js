import { LOBBY, peerOfKey, roomOfKey } from './conversations.js';
import { typingLine } from './typing.js';

/**
 * The open conversation's title and subtitle, "Leave room" for a followed room other than
 * the public room, the composer's placeholder, and who is typing in it (in that room or
 * conversation only), rendered from the state.
 */
export function attachRoomHeader({ state, intents, title, subtitle, input, typingLine: line, leave }) {
  leave.addEventListener('click', () => {
    const room = roomOfKey(state.current);
    if (room !== null && room !== LOBBY) void intents.leaveRoom(room);
  });

  function render() {
    const { heading, sub, placeholder } = describe(state, state.current);
    title.textContent = heading;
    subtitle.textContent = sub;
    input.placeholder = placeholder;
    const room = roomOfKey(state.current);
    leave.hidden = room === null || room === LOBBY || !state.rooms.follows(room);
    line.textContent = typingLine(state.typing.typistsOf(state.current));
  }
  state.subscribe((change) => {
    if (['open', 'presence', 'conversations', 'typing', 'rooms'].includes(change.kind)) render();
  });
  render();
}

/** The title, subtitle and placeholder of conversation `key`. */
function describe(state, key) {
  const peer = peerOfKey(key);
  if (peer !== null) {
    const name = state.nicknameOf(peer) ?? `user ${peer}`;
    return { heading: `@ ${name}`, sub: state.isOnline(peer) ? 'online' : 'offline', placeholder: `Message ${name}…` };
  }
  const room = roomOfKey(key);
  if (room === LOBBY) {
    return { heading: '# Public room', sub: 'Everyone on the forum', placeholder: 'Message the public room…' };
  }
  const entry = state.rooms.entry(room);
  const name = state.rooms.titleOf(room);
  const sub = entry?.moderate ? 'You moderate this room' : entry?.post === false ? 'Read only' : 'Room';
  return { heading: `# ${name}`, sub, placeholder: `Message # ${name}…` };
}
