import { readTargetOf } from './conversations.js';

/** The kinds of change after which the user may see messages not yet marked read. */
const WATCHED = new Set(['open', 'message', 'history', 'seeing', 'unread', 'connection']);

/**
 * Keeps the server's read state up with what the user sees: whenever the open conversation's
 * newest messages are in view (scrolled to the bottom, tab visible), it is marked read up to
 * the newest message held there (`mark_read`), at most one request per conversation in flight
 * (the newest position is sent when it returns). The state counts it read at once; the
 * server's `read` reply (to every tab and device of the user) then carries the exact count.
 */
export function attachReadMarker({ client, state }) {
  const inFlight = new Map(); // key → the id asked for
  const wanted = new Map(); // key → the newest id to ask for next

  async function mark(key) {
    const id = wanted.get(key);
    wanted.delete(key);
    inFlight.set(key, id);
    try {
      await client.markRead(readTargetOf(key), id);
    } catch (error) {
      if (client.state === 'open') console.warn('mark_read failed', error);
    } finally {
      inFlight.delete(key);
      if (wanted.has(key)) void mark(key);
    }
  }

  state.subscribe((change) => {
    if (!WATCHED.has(change.kind)) return;
    const key = state.current;
    if (!state.canSee(key) || client.state !== 'open') return;
    const newest = state.messages.sorted(key).at(-1)?.id;
    if (newest === undefined || newest <= (state.unread.get(key)?.readId ?? 0)) return;
    state.seenUpTo(key, newest);
    wanted.set(key, newest);
    if (!inFlight.has(key)) void mark(key);
  });
}
