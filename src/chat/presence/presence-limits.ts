/**
 * Default tick of coalesced presence (`presence` frames): short enough that a join shows
 * within a blink, long enough that a reconnect storm of thousands of users costs each
 * client a few frames per second, not one per joiner.
 */
export const DEFAULT_PRESENCE_TICK_MS = 200;

/**
 * Most `presence` frames one node writes per second over all its sockets: above this many
 * sockets per tick, the tick lengthens (a node with 10,000 sockets ticks once a second).
 * Bounds what presence costs a node during a reconnect storm, whatever its size.
 */
export const PRESENCE_FRAMES_PER_SECOND = 10_000;

/**
 * Longest pause between two count-only (`overflow`) `presence` frames while a storm goes on:
 * the pause doubles from one second with each overflow frame in a row up to this, so a
 * storm of any length costs each client a handful of frames; it is waived as soon as the
 * changes stop, so the exact count follows the storm's last join at once.
 */
export const PRESENCE_STORM_PAUSE_MAX_MS = 8_000;

/**
 * Default presence list limit: clients without `presence_changes` get the seed protocol's
 * full `online_users` and per-user `user_joined`/`user_left` while at most this many users
 * are online (an `online_users` of 1,000 users is ~40 kB). Above it they get a list cut at
 * this many users and no per-user frames, so what each of them receives stays bounded.
 */
export const DEFAULT_PRESENCE_LIST_LIMIT = 1_000;

/**
 * Seed clients go back to per-user frames once the count falls to this share of the limit
 * (not at the limit itself), so a count hovering at the limit does not resend the list each tick.
 */
export const PRESENCE_LIST_RESUME_SHARE = 0.9;

/**
 * Default most users one `presence` frame lists: a normal tick lists a handful; a storm's
 * tick sends only the count (`overflow`), so bytes per client do not grow with the storm.
 */
export const DEFAULT_PRESENCE_CHANGES_PER_FRAME = 100;

/** Default and largest `online_page` page. */
export const ONLINE_PAGE_DEFAULT_LIMIT = 100;
export const ONLINE_PAGE_MAX_LIMIT = 500;
