import { h } from './dom.js';
import { LOBBY, PUBLIC, roomKey } from './conversations.js';
import { renderBadge } from './badge.js';

/**
 * The room list, rendered from the state: the public room first, then every other room the
 * forum lets this user read, each a button opening it (and following it), with its unread
 * count from the server's read state; a room not followed says so, and a read-only room too.
 */
export function attachRoomsView({ state, intents, list, publicButton }) {
  const publicItem = publicButton.closest('li');
  publicButton.addEventListener('click', () => intents.open(PUBLIC));

  function render() {
    renderBadge(publicButton, state.unread.get(PUBLIC));
    publicButton.setAttribute('aria-current', String(state.current === PUBLIC));
    const others = state.rooms.list.filter((room) => room.id !== LOBBY);
    list.replaceChildren(publicItem, ...others.map((room) => roomItem(state, intents, room)));
  }

  state.subscribe((change) => {
    if (['rooms', 'unread', 'open'].includes(change.kind)) render();
  });
  render();
}

/** One room's entry: its title, whether it is followed or read-only, its unread badge. */
function roomItem(state, intents, room) {
  const key = roomKey(room.id);
  const following = state.rooms.follows(room.id);
  const note = !following ? 'not joined' : room.post === false ? 'read only' : null;
  const button = h(
    'button',
    {
      type: 'button',
      class: following ? 'entry' : 'entry not-joined',
      dataset: { conversation: key, room: room.id },
      'aria-current': String(state.current === key),
      onclick: () => intents.open(key),
    },
    h('span', { class: 'entry-name', dir: 'auto', text: `# ${room.title}` }),
    note ? h('span', { class: 'room-state', text: note }) : null,
    h('span', { class: 'badge', 'data-unread': true }),
  );
  renderBadge(button, state.unread.get(key));
  return h('li', {}, button);
}
