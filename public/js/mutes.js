/**
 * The rooms where this user is muted, from the server's `muted` / `unmuted` frames. A timed
 * mute ends with the server's `unmuted` at its `until`, or here `remaining_ms` after its
 * frame arrived (measured on this clock, so a skewed clock cannot shorten or stretch it),
 * whichever comes first: a host whose moderation store cannot announce ended mutes sends no
 * frame then. `onChange()` runs after every change.
 */
export class Mutes {
  constructor(onChange, now = () => Date.now()) {
    this.onChange = onChange;
    this.now = now;
    this.rooms = new Map(); // room id → { endsAt (ms on this clock, or null: until lifted), timer }
  }

  /** A `muted` frame about this user. */
  muted({ room, remaining_ms }) {
    this.clearTimer(room);
    const endsAt = remaining_ms === null ? null : this.now() + remaining_ms;
    const timer = endsAt === null ? null : setTimeout(() => this.unmuted({ room }), Math.max(0, remaining_ms));
    this.rooms.set(room, { endsAt, timer });
    this.onChange();
  }

  /** An `unmuted` frame about this user, or the end of a timed mute. */
  unmuted({ room }) {
    if (!this.rooms.has(room)) return;
    this.clearTimer(room);
    this.rooms.delete(room);
    this.onChange();
  }

  /** Forgets every mute (a new socket is told them again). */
  clear() {
    if (this.rooms.size === 0) return;
    for (const room of this.rooms.keys()) this.clearTimer(room);
    this.rooms.clear();
    this.onChange();
  }

  /** The mute in `room`: `{ endsAt }` (null: until lifted), or null when not muted. */
  of(room) {
    const mute = this.rooms.get(room);
    return mute ? { endsAt: mute.endsAt } : null;
  }

  clearTimer(room) {
    clearTimeout(this.rooms.get(room)?.timer);
  }
}
