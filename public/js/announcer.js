import { LOBBY, roomOfKey } from './conversations.js';
import { h } from './dom.js';

/** How many announcements stay in the live region. */
const KEPT = 5;

/**
 * Reads each new message of someone else out to screen readers through a polite live region
 * (history pages and conversation switches stay silent).
 */
export function attachAnnouncer({ state, region }) {
  state.subscribe((change) => {
    if (change.kind !== 'message' || change.message.user_id === state.me.id) return;
    const { message, key } = change;
    const room = roomOfKey(key);
    const where = room === null ? 'privately' : room === LOBBY ? 'in the public room' : `in # ${state.rooms.titleOf(room)}`;
    region.append(h('p', { text: `${message.nickname} ${where}: ${message.content}` }));
    while (region.childElementCount > KEPT) region.firstElementChild.remove();
  });
}
