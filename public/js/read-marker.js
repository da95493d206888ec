import { readTargetOf } from './conversations.js';

/** Least time between two `mark_read` requests: 4 a second, under the server's limit of 5 a second. */
export const MARK_GAP_MS = 250;

/** The kinds of change after which the user may see messages not yet marked read. */
const WATCHED = new Set(['open', 'message', 'history', 'seeing', 'unread', 'connection']);

/**
 * Keeps the server's read state up with what the user sees: whenever the open conversation's
 * newest messages are in view (scrolled to the bottom, tab visible), it is marked read up to
 * the newest message held there (`mark_read`), at most one request per conversation in flight
 * (the newest position is sent when it returns) and at most one every `MARK_GAP_MS`, so a busy
 * room never takes the user over the server's `mark_read` limit (refusals would cost the
 * socket its refused-frame budget: 1008); a refused `rate_limited` mark is sent again after its
 * `retry_after_ms`. The state counts it read at once; the server's `read` reply (to every tab
 * and device of the user) then carries the exact count.
 */
export function attachReadMarker({ client, state }) {
  const inFlight = new Set(); // keys with a mark waiting for its turn or its reply
  const wanted = new Map(); // key → the newest id to ask for next
  let readyAt = 0; // when the next mark may be sent (Date.now() time)

  async function mark(key) {
    inFlight.add(key);
    const sendAt = Math.max(Date.now(), readyAt);
    readyAt = sendAt + MARK_GAP_MS;
    if (sendAt > Date.now()) await new Promise((resolve) => setTimeout(resolve, sendAt - Date.now()));
    const id = wanted.get(key); // the newest position wanted by now
    wanted.delete(key);
    try {
      await client.markRead(readTargetOf(key), id);
    } catch (error) {
      const retryAfterMs = error?.frame?.code === 'rate_limited' ? error.frame.retry_after_ms : undefined;
      if (retryAfterMs !== undefined) {
        readyAt = Math.max(readyAt, Date.now() + retryAfterMs);
        if (!wanted.has(key)) wanted.set(key, id);
      } else if (client.state === 'open') console.warn('mark_read failed', error);
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
