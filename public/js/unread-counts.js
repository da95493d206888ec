/** The server counts unread messages up to this many, then says there are more. */
export const UNREAD_CAP = 99;

/**
 * Unread messages per conversation key, as the server's read state says (the `rooms` and
 * `conversations` entries, the `read` frames of every tab and device of the user), plus the
 * messages that arrived live since the server counted: each message counts once, since only
 * ids above the last one the server counted (`lastId`) are added. Entry: `{ count, mentions,
 * more, readId, lastId }`; `readId` is the read position (0: nothing read).
 */
export class UnreadCounts {
  constructor() {
    this.entries = new Map();
  }

  /** The entry of `key`, or undefined when nothing is known about it. */
  get(key) {
    return this.entries.get(key);
  }

  /** The unread count of `key` (0 when unknown). */
  countOf(key) {
    return this.entries.get(key)?.count ?? 0;
  }

  /**
   * A server list entry (`read_id`, `unread`, `mentions`, `unread_more`, `last_message_id`)
   * of `key`; `held` are the messages the page holds there from others, so those that arrived
   * after the server counted still count.
   */
  fromEntry(key, entry, held) {
    const lastId = Math.max(entry.last_message_id ?? 0, entry.read_id);
    const later = held.filter((m) => m.id > lastId);
    this.entries.set(key, {
      count: entry.unread + later.length,
      mentions: entry.mentions + later.filter((m) => m.mentionsMe).length,
      more: Boolean(entry.unread_more),
      readId: entry.read_id,
      lastId: Math.max(lastId, ...later.map((m) => m.id)),
    });
  }

  /** A `read` frame: the server's count at the read position; `newestId` is the newest id held there. */
  fromRead(key, frame, newestId) {
    const old = this.entries.get(key);
    if (old && old.readId > frame.id) return; // an older position, overtaken meanwhile
    this.entries.set(key, {
      count: frame.unread,
      mentions: frame.mentions,
      more: Boolean(frame.unread_more),
      readId: frame.id,
      lastId: Math.max(frame.id, newestId, old?.lastId ?? 0),
    });
  }

  /** A message of someone else arrived unseen: counted unless the server already did. True when counted. */
  arrived(key, id, mentionsMe) {
    const entry = this.entries.get(key) ?? { count: 0, mentions: 0, more: false, readId: 0, lastId: 0 };
    if (id <= entry.lastId || id <= entry.readId) return false;
    entry.lastId = id;
    entry.count += 1;
    if (mentionsMe) entry.mentions += 1;
    this.entries.set(key, entry);
    return true;
  }

  /** Message `id` of `key` now mentions the user (an edit): one more unread mention if it is unread. */
  mentioned(key, id) {
    const entry = this.entries.get(key);
    if (!entry || entry.count === 0 || id <= entry.readId) return false;
    entry.mentions += 1;
    return true;
  }

  /** Everything up to `id` in `key` is seen (asked of the server meanwhile): none unread. False when nothing changed. */
  seenUpTo(key, id) {
    const entry = this.entries.get(key) ?? { count: 0, mentions: 0, more: false, readId: 0, lastId: 0 };
    if (entry.readId >= id) return false;
    this.entries.set(key, { count: 0, mentions: 0, more: false, readId: id, lastId: Math.max(entry.lastId, id) });
    return true;
  }

  /** Forgets `key` (a room taken away). */
  drop(key) {
    this.entries.delete(key);
  }

  /** Total unread over every key but `except`, and whether any count is capped. */
  total(except = null) {
    let count = 0;
    let more = false;
    for (const [key, entry] of this.entries) {
      if (key === except) continue;
      count += entry.count;
      more ||= entry.more;
    }
    return { count, more };
  }
}
