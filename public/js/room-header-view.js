import { peerOfKey } from './conversations.js';

/**
 * The open conversation's title and subtitle, the composer's placeholder, and who is typing
 * in it, rendered from the state.
 */
export function attachRoomHeader({ state, title, subtitle, input, typingLine }) {
  function render() {
    const peer = peerOfKey(state.current);
    if (peer === null) {
      title.textContent = '# Public room';
      subtitle.textContent = 'Everyone on the forum';
      input.placeholder = 'Message the public room…';
    } else {
      const name = state.nicknameOf(peer) ?? `user ${peer}`;
      title.textContent = `@ ${name}`;
      subtitle.textContent = state.isOnline(peer) ? 'online' : 'offline';
      input.placeholder = `Message ${name}…`;
    }
    const typist = peer === null ? null : state.typing.nicknameOf(peer);
    typingLine.textContent = typist ? `${typist} is typing…` : '';
  }
  state.subscribe((change) => {
    if (['open', 'presence', 'conversations', 'typing'].includes(change.kind)) render();
  });
  render();
}
