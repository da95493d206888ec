import { h, timeElement } from './dom.js';

/**
 * Disables the message box and Send while the user may not write in the open room — muted
 * by a moderator (until when, or until lifted) or a read-only room — with the reason in view
 * and tied to the box (`aria-describedby`), and enables them again when that ends (an
 * `unmuted` frame, or a timed mute running out). Focus in the box moves to the reason.
 */
export function attachComposerGuard({ state, input, sendButton, reason }) {
  reason.tabIndex = -1;
  function render() {
    const block = state.composerBlock();
    const hadFocus = document.activeElement === input;
    input.disabled = block !== null;
    sendButton.disabled = block !== null;
    reason.replaceChildren(...reasonNodes(block));
    if (block !== null && hadFocus) reason.focus();
  }
  state.subscribe((change) => {
    if (['open', 'mute', 'rooms'].includes(change.kind)) render();
  });
  render();
}

function reasonNodes(block) {
  if (block === null) return [];
  if (block.reason === 'read-only') return ['You can read this room but not post in it.'];
  if (block.endsAt === null) return [h('strong', { text: 'You are muted here' }), ' by a moderator until the mute is lifted.'];
  const end = timeElement(new Date(block.endsAt).toISOString());
  return [h('strong', { text: 'You are muted here' }), ' by a moderator until ', end, '. You can still read.'];
}
