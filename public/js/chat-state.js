import { keyOfMessage, keyOfTarget, privateKey, PUBLIC, roomKey, roomOfKey } from './conversations.js';
import { MessageStore } from './message-store.js';
import { Mutes } from './mutes.js';
import { RoomsState } from './rooms-state.js';
import { TypingWatcher } from './typing.js';
import { UnreadCounts } from './unread-counts.js';

/**
 * Everything the chat view shows, in one place. Only its actions change it, and each action
 * tells the subscribers what changed (`{ kind, ... }`); views render from the state in
 * response and never change it themselves. The flow is one way: client events and user
 * intents → actions → state → views.
 */
export class ChatState {
  constructor(me) {
    this.me = me;
    this.current = PUBLIC;
    this.connection = { state: 'idle', delayMs: null };
    this.presenceLive = false;
    this.appearOffline = false;
    this.online = new Map(); // user id → nickname, the online users the page has read
    this.onlineCount = 0; // the server's count of online users
    this.conversations = []; // the server's conversation entries
    this.known = new Map(); // user id → nickname, of users found by search
    this.rooms = new RoomsState(); // the rooms the forum lets this user read, and those the page follows
    this.notice = null; // a notice for the user (a room taken away), until dismissed
    this.search = { prefix: '', users: [], hasMore: false, status: 'idle' };
    this.unread = new UnreadCounts(); // key → the server's read state, plus what arrived since
    this.mutes = new Mutes(() => this.emit({ kind: 'mute' }));
    this.messages = new MessageStore();
    this.pending = new Map(); // client_id → { key, content, error }
    this.ackedIds = new Map(); // message id → client_id, until the stored copy arrives
    this.seeing = { atBottom: true, visible: true }; // can the user see new messages of `current`?
    this.typing = new TypingWatcher(() => this.emit({ kind: 'typing' }));
    this.listeners = new Set();
  }

  /** Calls `listener(change, state)` after every action; returns an unsubscribe function. */
  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(change) {
    for (const listener of [...this.listeners]) listener(change, this);
  }

  // --- connection and presence ---

  setConnection(state, delayMs = null) {
    this.connection = { state, delayMs };
    this.emit({ kind: 'connection' });
  }

  setPresenceLive(live) {
    this.presenceLive = live;
    this.emit({ kind: 'presence' });
  }

  setAppearOffline(hidden) {
    this.appearOffline = hidden;
    this.emit({ kind: 'presence' });
  }

  /**
   * Who is online, as the typed client's `presence` holds it (`users`, the server's `count`),
   * after a presence frame in which `joinedIds` came online and `leftIds` went offline: their
   * conversation entries follow, and a user who left is no longer typing.
   */
  setOnlineFrom(presence, joinedIds = [], leftIds = []) {
    this.online = new Map(presence.users);
    this.onlineCount = presence.count;
    for (const entry of this.conversations) {
      if (joinedIds.includes(entry.id)) entry.online = true;
      if (leftIds.includes(entry.id)) entry.online = false;
    }
    for (const id of leftIds) this.typing.clear(id);
    this.emit({ kind: 'presence' });
  }

  /** Whether user `userId` is online: their conversation entry says so, else the online users read. */
  isOnline(userId) {
    return this.conversations.find((e) => e.id === userId)?.online ?? this.online.has(userId);
  }

  /** The nickname of user `userId`, if known. */
  nicknameOf(userId) {
    return (
      this.online.get(userId) ?? this.conversations.find((e) => e.id === userId)?.nickname ?? this.known.get(userId) ?? null
    );
  }

  /** Whether `message` mentions this user (the server's `mentions`). */
  mentionsMe(message) {
    return (message.mentions ?? []).includes(this.me.id);
  }

  /** The messages of others held in `key`, as unread counting needs them. */
  heldFromOthers(key) {
    return this.messages
      .sorted(key)
      .filter((m) => m.user_id !== this.me.id)
      .map((m) => ({ id: m.id, mentionsMe: this.mentionsMe(m) }));
  }

  // --- conversations ---

  /**
   * The server's list (the users one has a private conversation with); a conversation opened
   * here that has no message yet stays in the list until it gets one.
   */
  setConversations(entries) {
    const fresh = entries.map((e) => ({ ...e }));
    const opened = this.conversations.filter((e) => e.last_message_at === null && !fresh.some((f) => f.id === e.id));
    this.conversations = [...fresh, ...opened];
    for (const entry of fresh) this.unread.fromEntry(privateKey(entry.id), entry, this.heldFromOthers(privateKey(entry.id)));
    this.emit({ kind: 'conversations' });
    this.emit({ kind: 'unread', fromServer: true });
  }

  // --- rooms and read state ---

  /** The server's `rooms` list: the rooms, their rights and the read state of each. */
  setRooms(entries) {
    this.rooms.setList(entries);
    for (const entry of entries) this.unread.fromEntry(roomKey(entry.id), entry, this.heldFromOthers(roomKey(entry.id)));
    this.emit({ kind: 'rooms' });
    this.emit({ kind: 'unread', fromServer: true });
  }

  /** This page follows room `roomId` (`joined`: its title and rights), or no longer does (`left`). */
  setFollowing(roomId, joined) {
    if (joined) this.rooms.joined(joined);
    else this.rooms.left(roomId);
    this.emit({ kind: 'rooms' });
  }

  /**
   * The forum took room `roomId` away (`left` with reason access): it leaves the list and its
   * unread count goes; the user is told (the page then opens the public room if it was open).
   */
  roomTakenAway(roomId) {
    const title = this.rooms.titleOf(roomId);
    this.rooms.remove(roomId);
    this.unread.drop(roomKey(roomId));
    this.mutes.unmuted({ room: roomId });
    this.notice = { text: `You no longer have access to ${title}: it was removed from your rooms.` };
    this.emit({ kind: 'rooms' });
    this.emit({ kind: 'notice' });
    this.emit({ kind: 'unread' });
  }

  dismissNotice() {
    this.notice = null;
    this.emit({ kind: 'notice' });
  }

  /** A `read` frame (this tab's `mark_read`, or another tab's or device's). */
  applyRead(frame) {
    const key = keyOfTarget(frame);
    const held = this.messages.sorted(key);
    this.unread.fromRead(key, frame, held.at(-1)?.id ?? 0);
    this.emit({ kind: 'unread' });
  }

  /** The user saw `key` up to message `id` (the page tells the server): nothing there is unread now. */
  seenUpTo(key, id) {
    if (this.unread.seenUpTo(key, id)) this.emit({ kind: 'unread' });
  }

  /**
   * Why the user cannot write in `key` right now, or null: `{ reason: 'muted', endsAt }`
   * (null: until lifted) or `{ reason: 'read-only' }` (a room one may read but not post in).
   */
  composerBlock(key = this.current) {
    const room = roomOfKey(key);
    if (room === null) return null;
    const mute = this.mutes.of(room);
    if (mute) return { reason: 'muted', endsAt: mute.endsAt };
    return this.rooms.entry(room)?.post === false ? { reason: 'read-only' } : null;
  }

  // --- user search ---

  /** The user search's state: `status` idle, loading, done or error; found users become known by nickname. */
  setSearch(search) {
    this.search = { ...this.search, ...search };
    for (const user of search.users ?? []) this.known.set(user.id, user.nickname);
    this.emit({ kind: 'search' });
  }

  /** Lists user `userId` as a conversation (opened from the online list, no message yet) unless listed. */
  addConversation(userId) {
    if (userId === this.me.id || this.conversations.some((e) => e.id === userId)) return;
    const nickname = this.nicknameOf(userId);
    if (nickname === null) return;
    this.conversations = [...this.conversations, { id: userId, nickname, online: this.online.has(userId), last_message_at: null }];
    this.emit({ kind: 'conversations' });
  }

  /** A private message with `userId` at `timestamp` moves that conversation up. False if unknown. */
  touchConversation(userId, timestamp) {
    const entry = this.conversations.find((e) => e.id === userId);
    if (!entry) return false;
    if (entry.last_message_at === null || entry.last_message_at < timestamp) entry.last_message_at = timestamp;
    this.emit({ kind: 'conversations' });
    return true;
  }

  /** Opens conversation `key`; its unread messages become read (the view marks where they began). */
  open(key) {
    if (key !== this.current) this.seeing = { ...this.seeing, atBottom: true };
    this.current = key;
    const entry = this.unread.get(key);
    this.emit({ kind: 'open', key, unreadAfter: entry?.count ? entry.readId : null });
    this.emit({ kind: 'unread' });
  }

  // --- messages ---

  /** A message arrived (live or replayed). False when it was already there. */
  receive(message) {
    const key = keyOfMessage(message, this.me.id);
    if (!this.messages.add(key, message)) return false;
    if (message.user_id !== this.me.id) this.typing.clear(message.user_id, key);
    const clientId = this.ackedIds.get(message.id);
    if (clientId) this.settle(clientId, message.id);
    this.emit({ kind: 'message', key, message });
    const counted = message.user_id !== this.me.id && !this.canSee(key);
    if (counted && this.unread.arrived(key, message.id, this.mentionsMe(message))) this.emit({ kind: 'unread' });
    return true;
  }

  canSee(key) {
    return key === this.current && this.seeing.atBottom && this.seeing.visible;
  }

  /** Whether the user sees the newest messages of the open conversation (bottom, tab visible). */
  setSeeing(seeing) {
    const before = this.canSee(this.current);
    this.seeing = { ...this.seeing, ...seeing };
    if (this.canSee(this.current) !== before) this.emit({ kind: 'seeing' });
  }

  /**
   * A message was edited (`message_edited`): it shows the new content, marked edited, with the
   * mentions after the edit; one that now mentions this user while unread counts as a mention.
   * A deletion is final, and of two edits the later `edited_at` wins; an edit of a message the
   * page does not hold is dropped (history returns the edited content).
   */
  edited({ id, content, edited_at, mentions, new_mentions: added = [] }) {
    const found = this.messages.find(id);
    if (!found || found.message.deleted_at || (found.message.edited_at ?? '') >= edited_at) return;
    this.change(found.key, { ...found.message, content, edited_at, ...(mentions ? { mentions } : {}) });
    if (added.includes(this.me.id) && this.unread.mentioned(found.key, id)) this.emit({ kind: 'unread' });
  }

  /** A message was deleted (`message_deleted`, or listed in a history page's `deleted`): a tombstone takes its place. */
  deleted({ id, deleted_at }) {
    const found = this.messages.find(id);
    if (!found || found.message.deleted_at) return;
    this.change(found.key, { ...found.message, content: '', deleted_at });
  }

  change(key, message) {
    this.messages.replace(message);
    this.emit({ kind: 'changed', key, message });
  }

  /** One page of history for `key` (`first`: the latest page, shown as the conversation). */
  addHistory(key, page, first) {
    const conversation = this.messages.get(key);
    for (const id of page.deleted ?? []) this.deleted({ id, deleted_at: new Date().toISOString() });
    const added = page.messages.filter((m) => this.messages.add(key, m));
    conversation.hasMore = page.has_more;
    conversation.loaded = true;
    this.emit({ kind: 'history', key, added, first });
  }

  setLoading(key, loading) {
    this.messages.get(key).loading = loading;
    this.emit({ kind: 'paging', key });
  }

  // --- sending ---

  addPending(clientId, key, content) {
    this.pending.set(clientId, { key, content, error: null });
    this.emit({ kind: 'pending', clientId, key });
  }

  /** The server acked `clientId` as message `id`: settled now, or when the stored copy arrives. */
  acked(clientId, id) {
    if (!this.pending.has(clientId)) return;
    if (this.messages.has(id)) this.settle(clientId, id);
    else this.ackedIds.set(id, clientId);
  }

  settle(clientId, id) {
    const entry = this.pending.get(clientId);
    this.pending.delete(clientId);
    this.ackedIds.delete(id);
    if (entry) this.emit({ kind: 'settled', clientId, key: entry.key });
  }

  failPending(clientId, reason) {
    const entry = this.pending.get(clientId);
    if (!entry) return;
    entry.error = reason;
    this.emit({ kind: 'failed', clientId, key: entry.key });
  }

  /** The messages of `key` still waiting for their ack, in sending order. */
  pendingOf(key) {
    return [...this.pending.entries()].filter(([, p]) => p.key === key).map(([clientId, p]) => ({ clientId, ...p }));
  }
}
