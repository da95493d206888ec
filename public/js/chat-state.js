import { keyOfMessage, PUBLIC } from './conversations.js';
import { MessageStore } from './message-store.js';
import { mentionsMe } from './text.js';
import { TypingWatcher } from './typing.js';

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
    this.unread = new Map(); // key → { count, mentions, firstId }
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
    return this.online.get(userId) ?? this.conversations.find((e) => e.id === userId)?.nickname ?? null;
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
    this.emit({ kind: 'conversations' });
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
    const firstUnreadId = this.unread.get(key)?.firstId ?? null;
    this.unread.delete(key);
    this.emit({ kind: 'open', key, firstUnreadId });
    this.emit({ kind: 'unread' });
  }

  // --- messages ---

  /** A message arrived (live or replayed). False when it was already there. */
  receive(message) {
    const key = keyOfMessage(message, this.me.id);
    if (!this.messages.add(key, message)) return false;
    if (message.user_id !== this.me.id) this.typing.clear(message.user_id);
    const clientId = this.ackedIds.get(message.id);
    if (clientId) this.settle(clientId, message.id);
    this.emit({ kind: 'message', key, message });
    if (message.user_id !== this.me.id && !this.canSee(key)) this.countUnread(key, message);
    return true;
  }

  countUnread(key, message) {
    const entry = this.unread.get(key) ?? { count: 0, mentions: 0, firstId: message.id };
    entry.count += 1;
    if (mentionsMe(message.content, this.me.nickname)) entry.mentions += 1;
    this.unread.set(key, entry);
    this.emit({ kind: 'unread' });
  }

  canSee(key) {
    return key === this.current && this.seeing.atBottom && this.seeing.visible;
  }

  /** Whether the user sees the newest messages of the open conversation (bottom, tab visible). */
  setSeeing(seeing) {
    this.seeing = { ...this.seeing, ...seeing };
    if (this.canSee(this.current) && this.unread.has(this.current)) {
      this.unread.delete(this.current);
      this.emit({ kind: 'unread' });
    }
  }

  /**
   * A message was edited (`message_edited`): it shows the new content, marked edited. A
   * deletion is final, and of two edits the later `edited_at` wins; an edit of a message the
   * page does not hold is dropped (history returns the edited content).
   */
  edited({ id, content, edited_at }) {
    const found = this.messages.find(id);
    if (!found || found.message.deleted_at || (found.message.edited_at ?? '') >= edited_at) return;
    this.change(found.key, { ...found.message, content, edited_at });
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

  /** Total unread messages (the tab title shows it). */
  get unreadTotal() {
    let total = 0;
    for (const entry of this.unread.values()) total += entry.count;
    return total;
  }
}
