import type { ChatCapability } from '../chat/protocol/capabilities.js';
import { CloseCode } from '../chat/protocol/close-codes.js';
import type {
  AckFrame,
  ClientFrame,
  ConversationEntry,
  ConversationsFrame,
  ErrorFrame,
  HistoryFrame,
  JoinedFrame,
  LeftFrame,
  ReadFrame,
  RoomsFrame,
  ServerFrame,
  UsersFrame,
} from '../chat/protocol/frames.js';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import { ChatRequestError } from './chat-client.errors.js';
import type { ChatClientEvents, OutgoingMessage } from './chat-client.events.js';
import { newClientId } from './client-id.js';
import type { ConnectionState } from './connection-state.js';
import { OnlinePresence, withCapabilities } from './online-presence.js';
import { Outbox } from './outbox.js';
import { PendingRequests } from './pending-requests.js';
import { SeenMessages } from './seen-messages.js';
import { TypedEmitter } from './typed-emitter.js';
import { browserWakeSignals, type WakeSignals } from './wake-signals.js';
import { WS_OPEN, type WebSocketConstructor, type WebSocketLike } from './websocket-like.js';

/** Options of `ChatClient`. */
export interface ChatClientOptions {
  /** The `/ws` URL, or a function returning it (called for every connection). */
  url: string | (() => string);
  /** `globalThis.WebSocket` in a browser; `ws`'s `WebSocket` (or a subclass adding headers) in Node. */
  WebSocket: WebSocketConstructor;
  /** Reconnect delays; unset fields take `DEFAULT_BACKOFF`. */
  backoff?: Partial<BackoffPolicy>;
  /** Source of randomness for the jitter, in `[0, 1)`; `Math.random` by default. */
  random?: () => number;
  /**
   * Asked before every reconnect. Resolving false means the session is gone (a handshake
   * refused with 401 looks like any other failed connection to a browser): the client
   * emits `session_ended` instead of reconnecting. A throw counts as "try anyway".
   */
  checkSession?: () => boolean | Promise<boolean>;
  /** Resume from this message id on the first connection too (e.g. a position saved earlier). */
  resumeFrom?: number;
  /** How many message ids to remember for deduplication; 10 000 by default. */
  dedupeCapacity?: number;
  /**
   * Hints that the network may be back, each cutting a pending backoff wait short
   * (`reconnectNow()`). By default, in a browser: the `online` event and the page becoming
   * visible again; none in Node. `null` turns them off.
   */
  wakeSignals?: WakeSignals | null;
  /**
   * Capabilities asked for at every connect (the `caps` query parameter), e.g.
   * `['presence_changes']` for presence that stays small at any number of online users
   * (`online` follows either kind). Default none: the seed protocol.
   */
  capabilities?: readonly ChatCapability[];
}

/** A message handed to `sendChatMessage`/`sendPrivateMessage`. */
export interface SentMessage {
  /** The `client_id` it carries on every (re)send. */
  clientId: string;
  /** Resolves with the `ack`; rejects with a `ChatRequestError` if it is refused or the session ends. */
  acked: Promise<AckFrame>;
}

/** How `sendChatMessage` sends: its `client_id` and its room (absent or `lobby`: lobby). */
export interface ChatMessageOptions {
  clientId?: string;
  room?: string;
}

/** What `markRead` marks: the private conversation `with` a user, or a room (neither: lobby). */
export type ReadTarget = { with: number; room?: undefined } | { room?: string; with?: undefined };

interface OutboxEntry {
  frame: OutgoingMessage;
  resolve: (ack: AckFrame) => void;
  reject: (err: ChatRequestError) => void;
}

/**
 * A typed client of the forum-chat WebSocket protocol for browsers and Node.
 *
 * Guarantees: every stored message is emitted once (`chat_message`/`private_message`,
 * deduplicated by id across live delivery and replays); after a dropped connection it
 * reconnects with capped, fully jittered exponential backoff (cut short by `reconnectNow()`
 * and, in a browser, by the `online` event or the page becoming visible), joins the rooms it
 * follows again (following is per socket), then sends `resume` from the
 * greatest id seen and follows `has_more` until done; every message sent carries a
 * `client_id` and is re-sent with the same id after each reconnect until its `ack`
 * arrives; close 4401 ends the session (`session_ended`) and stops reconnecting.
 */
export class ChatClient extends TypedEmitter<ChatClientEvents> {
  private readonly policy: BackoffPolicy;
  private readonly seen: SeenMessages;
  private readonly outbox = new Outbox<OutboxEntry>();
  private readonly historyRequests = new PendingRequests<HistoryFrame>();
  private readonly conversationRequests = new PendingRequests<ConversationsFrame>();
  private readonly roomListRequests = new PendingRequests<RoomsFrame>();
  private readonly readRequests = new PendingRequests<ReadFrame>();
  private readonly userSearches = new PendingRequests<UsersFrame>();
  /** `join`/`leave` of rooms in flight, in send order (replies `joined`/`left`, or an error). */
  private readonly followRequests = new PendingRequests<JoinedFrame | LeftFrame>();
  /** Rooms followed (or being joined); joined again on every new socket. */
  private readonly followed = new Set<string>();
  private socket: WebSocketLike | null = null;
  private currentState: ConnectionState = 'idle';
  private attempt = 0;
  private openedAt = 0;
  private everOpened = false;
  private present = true;
  private presenceIsLive = false;
  private stopWakeSignals: (() => void) | null = null;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly retryTimers = new Set<ReturnType<typeof setTimeout>>();
  /** Who is online, as the presence frames of the current connection tell (see `OnlinePresence`). */
  readonly online = new OnlinePresence();

  constructor(private readonly options: ChatClientOptions) {
    super();
    this.policy = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.seen = new SeenMessages(options.dedupeCapacity);
  }

  /** The current connection state (see `ConnectionState`). */
  get state(): ConnectionState {
    return this.currentState;
  }

  /** The greatest message id seen (live, replayed or in history); the next `resume` starts there. */
  get lastMessageId(): number {
    return this.seen.highest;
  }

  /**
   * True from an `online_users` until the connection drops: only then does the presence the
   * client has seen reflect the server. While false, a shown online list is the last known one.
   */
  get presenceLive(): boolean {
    return this.presenceIsLive;
  }

  /** The rooms this client follows (or is joining), other than lobby; joined again after every reconnect. */
  get rooms(): string[] {
    return [...this.followed];
  }

  /** Messages sent and not yet acknowledged, oldest first. */
  get unacked(): OutgoingMessage[] {
    return this.outbox.entries().map(([, e]) => e.frame);
  }

  /** Opens the connection (again, after `close()` or a new login). No-op while connecting or open. */
  connect(): void {
    if (this.currentState === 'connecting' || this.currentState === 'open' || this.currentState === 'reconnecting')
      return;
    this.attempt = 0;
    this.listenForWake();
    this.openSocket();
  }

  /**
   * Skips what is left of the backoff wait: while `reconnecting` and waiting for the delay,
   * starts the next attempt now (after `checkSession`, as always). Returns false and does
   * nothing in any other state, or while an attempt is already under way.
   */
  reconnectNow(): boolean {
    if (this.currentState !== 'reconnecting' || this.reconnectTimer === null) return false;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    void this.reconnect();
    return true;
  }

  /** Closes the connection (code 1000) and stops reconnecting. Unacked messages stay queued for the next `connect()`. */
  close(): void {
    this.clearTimers();
    this.stopListeningForWake();
    this.markPresence(false);
    const socket = this.detach();
    socket?.close(1000, 'client closed');
    this.failRequests('closed', 'the client was closed');
    this.setState('closed');
  }

  /**
   * Sends a room message (lobby unless `options.room` names another room; a string is the
   * `client_id`, as before); queued while disconnected and re-sent until acknowledged. A room
   * message is stored and acked whether or not this client follows the room; it comes back as
   * `chat_message` only when it does.
   */
  sendChatMessage(content: string, options: string | ChatMessageOptions = {}): SentMessage {
    const { clientId = newClientId(), room } = typeof options === 'string' ? { clientId: options } : options;
    const frame: OutgoingMessage = { type: 'chat_message', content, client_id: clientId };
    return this.enqueue(room === undefined || room === LOBBY ? frame : { ...frame, room });
  }

  /** Sends a private message to user `to`; same delivery guarantees as `sendChatMessage`. */
  sendPrivateMessage(to: number, content: string, clientId: string = newClientId()): SentMessage {
    return this.enqueue({ type: 'private_message', to, content, client_id: clientId });
  }

  /**
   * Tells user `to` (or the followers of `{ room }`, lobby excluded) whether this user is
   * typing. Dropped (false) when not connected: it is not stored.
   */
  sendTyping(to: number | { room: string }, active: boolean): boolean {
    return this.send(
      typeof to === 'number' ? { type: 'typing', to, active } : { type: 'typing', room: to.room, active },
    );
  }

  /** Counts this connection toward presence again; remembered across reconnects. */
  join(): boolean {
    this.present = true;
    return this.send({ type: 'join' });
  }

  /** Stops counting this connection toward presence; remembered across reconnects. */
  leave(): boolean {
    this.present = false;
    return this.send({ type: 'leave' });
  }

  /**
   * Follows `room` (other than lobby, which every socket follows): resolves with `joined`
   * (title and rights). The room is joined again on every reconnect, before `resume`, until
   * `leaveRoom`, a refusal or `left` with reason `access`. Rejects if not connected or refused
   * (`not_found`: no such room, or one you may not read).
   */
  joinRoom(room: string): Promise<JoinedFrame> {
    if (room === LOBBY) return Promise.reject(new ChatRequestError('refused', 'lobby is always followed'));
    const reply = this.request(this.followRequests, `join:${room}`, { type: 'join', room });
    if (this.currentState === 'open') this.followed.add(room);
    return reply.then(
      (frame) => frame as JoinedFrame,
      (error: ChatRequestError) => {
        if (error.failure === 'refused') this.followed.delete(room);
        throw error;
      },
    );
  }

  /** Stops following `room` (not joined again after a reconnect): resolves with `left`. Rejects if not connected or refused. */
  leaveRoom(room: string): Promise<LeftFrame> {
    if (room === LOBBY) return Promise.reject(new ChatRequestError('refused', 'lobby is always followed'));
    this.followed.delete(room);
    return this.request(this.followRequests, `leave:${room}`, { type: 'leave', room }) as Promise<LeftFrame>;
  }

  /**
   * Fetches a page of history: of the conversation `with` a user, else of `room` (absent:
   * lobby). The page's `room` says its room (absent for lobby and private pages). Rejects if
   * not connected or refused.
   */
  requestHistory(query: { with?: number; room?: string; before?: number; limit?: number } = {}): Promise<HistoryFrame> {
    const frame: ClientFrame = { type: 'history', ...query };
    return this.request(this.historyRequests, historyKey(query.with ?? null, query.room), frame);
  }

  /**
   * Fetches a page of the conversation list (most recent first; `before`: the last entry's
   * `last_message_id` of the previous page). Rejects if not connected or refused.
   */
  requestConversations(query: { before?: number; limit?: number } = {}): Promise<ConversationEntry[]> {
    return this.requestConversationPage(query).then((page) => page.users);
  }

  /** As `requestConversations`, with the whole page: `has_more` says whether another page follows. */
  requestConversationPage(query: { before?: number; limit?: number } = {}): Promise<ConversationsFrame> {
    return this.request(this.conversationRequests, 'conversations', { type: 'conversations', ...query });
  }

  /** Fetches every room you can read (lobby first) with your rights and unread counts. Rejects if not connected or refused. */
  requestRooms(): Promise<RoomsFrame> {
    return this.request(this.roomListRequests, 'rooms', { type: 'rooms' });
  }

  /**
   * Marks the conversation `with` a user, or `room` (neither: lobby), read up to message `id`.
   * Resolves with the next `read` of that conversation or room (every socket of the user gets
   * it, so it may be another tab's). Rejects if not connected or refused.
   */
  markRead(target: ReadTarget, id: number): Promise<ReadFrame> {
    const frame: ClientFrame =
      target.with !== undefined
        ? { type: 'mark_read', with: target.with, id }
        : { type: 'mark_read', room: target.room ?? LOBBY, id };
    return this.request(this.readRequests, readKey(target.with, target.room), frame);
  }

  /**
   * Finds users whose nickname starts with `prefix` (at most 20 a page; `after`: the last
   * nickname of the previous page). Rejects if not connected or refused.
   */
  searchUsers(prefix: string, after?: string): Promise<UsersFrame> {
    const frame: ClientFrame =
      after === undefined ? { type: 'search_users', prefix } : { type: 'search_users', prefix, after };
    return this.request(this.userSearches, `users:${prefix}`, frame);
  }

  /**
   * Asks for up to `limit` online users with an id above `after`; the reply arrives as the
   * `online_page` event and updates `online`. False when not connected.
   */
  requestOnlinePage(after = 0, limit?: number): boolean {
    return this.send(limit === undefined ? { type: 'online_page', after } : { type: 'online_page', after, limit });
  }

  /** Sends any client frame as is. False (and nothing sent) when the socket is not open. */
  send(frame: ClientFrame): boolean {
    if (!this.socket || this.socket.readyState !== WS_OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  private request<T>(queue: PendingRequests<T>, key: string, frame: ClientFrame): Promise<T> {
    if (this.currentState !== 'open') {
      return Promise.reject(new ChatRequestError('disconnected', `not connected (${this.currentState})`));
    }
    const reply = queue.add(key);
    this.send(frame);
    return reply;
  }

  private enqueue(frame: OutgoingMessage): SentMessage {
    let entry!: OutboxEntry;
    const acked = new Promise<AckFrame>((resolve, reject) => {
      entry = { frame, resolve, reject };
    });
    acked.catch(() => undefined); // a caller ignoring the promise must not cause an unhandled rejection
    this.outbox.add(frame.client_id, entry);
    this.send(frame);
    return { clientId: frame.client_id, acked };
  }

  private openSocket(): void {
    this.setState(this.everOpened ? 'reconnecting' : 'connecting');
    const url = typeof this.options.url === 'function' ? this.options.url() : this.options.url;
    const socket = new this.options.WebSocket(withCapabilities(url, this.options.capabilities ?? []));
    this.online.reset();
    this.socket = socket;
    socket.onopen = () => this.handleOpen();
    socket.onmessage = (event: { data: unknown }) => this.handleMessage(event.data);
    socket.onclose = (event: { code: number; reason: string }) => this.handleClose(event.code, event.reason);
    socket.onerror = () => undefined; // a close event always follows
  }

  private handleOpen(): void {
    const reconnect = this.everOpened;
    this.everOpened = true;
    this.openedAt = Date.now();
    this.setState('open');
    if (reconnect) this.rejoinRooms();
    if (reconnect || this.options.resumeFrom !== undefined) {
      this.seen.observe(this.options.resumeFrom ?? 0);
      this.send({ type: 'resume', since: this.seen.highest });
    }
    if (!this.present) this.send({ type: 'leave' });
    for (const [, entry] of this.outbox.entries()) this.send(entry.frame);
    this.emit('open', { reconnect });
  }

  /** Joins the followed rooms on a new socket (following is per socket), before `resume` replays them. */
  private rejoinRooms(): void {
    for (const room of this.followed) {
      this.followRequests.add(`join:${room}`).catch((error: ChatRequestError) => {
        if (error.failure === 'refused') this.followed.delete(room);
      });
      this.send({ type: 'join', room });
    }
  }

  private handleMessage(data: unknown): void {
    if (typeof data !== 'string') return;
    let frame: ServerFrame;
    try {
      frame = JSON.parse(data) as ServerFrame;
    } catch {
      return;
    }
    if (!frame || typeof frame !== 'object' || typeof frame.type !== 'string') return;
    this.emit('frame', frame);
    this.online.apply(frame);
    if (this.settleReply(frame)) return;
    switch (frame.type) {
      case 'online_users':
      case 'online_page':
        this.markPresence(true);
        this.emit(frame.type, frame as never);
        return;
      case 'chat_message':
      case 'private_message':
        if (this.seen.add(frame.id)) this.emit(frame.type, frame as never);
        return;
      case 'ack': {
        const entry = frame.client_id === null ? undefined : this.outbox.take(frame.client_id);
        entry?.resolve(frame);
        this.emit('ack', frame);
        return;
      }
      case 'resumed':
        this.seen.observe(frame.last_id);
        this.emit('resumed', frame);
        if (frame.has_more) this.send({ type: 'resume', since: frame.last_id });
        else this.emit('synced', { lastId: this.seen.highest });
        return;
      case 'error':
        this.handleError(frame);
        this.emit('error', frame);
        return;
      default:
        this.emit(frame.type, frame as never);
    }
  }

  /** Settles the request a reply frame answers, then emits it; false for a frame that is no such reply. */
  private settleReply(frame: ServerFrame): boolean {
    switch (frame.type) {
      case 'history':
        for (const m of frame.messages) this.seen.observe(m.id);
        this.historyRequests.resolve(historyKey(frame.with, frame.room), frame);
        this.emit('history', frame);
        break;
      case 'conversations':
        this.conversationRequests.resolve('conversations', frame);
        this.emit('conversations', frame);
        break;
      case 'rooms':
        this.roomListRequests.resolve('rooms', frame);
        this.emit('rooms', frame);
        break;
      case 'read':
        this.readRequests.resolve(readKey(frame.with, frame.room), frame);
        this.emit('read', frame);
        break;
      case 'users':
        this.userSearches.resolve(`users:${frame.prefix}`, frame);
        this.emit('users', frame);
        break;
      case 'joined':
        this.followRequests.resolve(`join:${frame.room}`, frame);
        this.emit('joined', frame);
        break;
      case 'left':
        if (frame.reason === 'access') this.followed.delete(frame.room);
        else this.followRequests.resolve(`leave:${frame.room}`, frame);
        this.emit('left', frame);
        break;
      default:
        return false;
    }
    return true;
  }

  private handleError(error: ErrorFrame): void {
    const ref = error.ref;
    const requests = ref === null ? undefined : this.requestsByRef()[ref];
    if (requests) requests.rejectOldest(refusal(error));
    else if (ref !== null && this.outbox.has(ref)) {
      if (error.code === 'rate_limited') {
        const timer = setTimeout(
          () => {
            this.retryTimers.delete(timer);
            const entry = this.outbox.entries().find(([id]) => id === ref);
            if (entry) this.send(entry[1].frame);
          },
          Math.max(0, error.retry_after_ms ?? 1000),
        );
        this.retryTimers.add(timer);
        return;
      }
      const entry = this.outbox.take(ref)!;
      entry.reject(refusal(error));
      this.emit('send_failed', { message: entry.frame, error });
    }
  }

  private handleClose(code: number, reason: string): void {
    this.detach();
    this.clearRetryTimers();
    this.markPresence(false);
    if (Date.now() - this.openedAt >= this.policy.resetAfterMs && this.openedAt > 0) this.attempt = 0;
    this.openedAt = 0;
    if (code === CloseCode.SESSION_ENDED) {
      this.endSession(code, reason || 'session ended');
      return;
    }
    this.failRequests('disconnected', `connection closed (${code})`);
    this.emit('disconnected', { code, reason, willReconnect: true });
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const delayMs = backoffDelay(this.attempt, this.policy, this.options.random);
    this.attempt += 1;
    this.setState('reconnecting');
    this.emit('reconnecting', { attempt: this.attempt, delayMs });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      void this.reconnect();
    }, delayMs);
  }

  private async reconnect(): Promise<void> {
    if (this.options.checkSession) {
      let valid = true;
      try {
        valid = await this.options.checkSession();
      } catch {
        valid = true;
      }
      if (this.currentState !== 'reconnecting') return; // closed meanwhile
      if (!valid) {
        this.endSession(null, 'session no longer valid');
        return;
      }
    }
    this.openSocket();
  }

  private endSession(code: number | null, reason: string): void {
    this.clearTimers();
    this.stopListeningForWake();
    this.failRequests('session_ended', reason);
    const unsent = this.outbox.clear().map(([, entry]) => {
      entry.reject(new ChatRequestError('session_ended', reason));
      return entry.frame;
    });
    this.followed.clear();
    this.setState('session_ended');
    this.emit('session_ended', { code, reason, unsent });
  }

  /** The requests whose refusal names them by `ref` (the request's `type`). */
  private requestsByRef(): Partial<Record<string, Pick<PendingRequests<unknown>, 'rejectOldest' | 'rejectAll'>>> {
    return {
      history: this.historyRequests,
      conversations: this.conversationRequests,
      rooms: this.roomListRequests,
      mark_read: this.readRequests,
      search_users: this.userSearches,
      join: this.followRequests,
      leave: this.followRequests,
    };
  }

  private failRequests(failure: 'disconnected' | 'closed' | 'session_ended', message: string): void {
    for (const requests of new Set(Object.values(this.requestsByRef()))) {
      requests!.rejectAll(new ChatRequestError(failure, message));
    }
  }

  private detach(): WebSocketLike | null {
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = null;
      socket.onerror = () => undefined;
    }
    return socket;
  }

  private clearTimers(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.clearRetryTimers();
  }

  private clearRetryTimers(): void {
    for (const t of this.retryTimers) clearTimeout(t);
    this.retryTimers.clear();
  }

  private listenForWake(): void {
    if (this.stopWakeSignals) return;
    const signals = this.options.wakeSignals === undefined ? browserWakeSignals() : this.options.wakeSignals;
    this.stopWakeSignals = signals?.(() => this.reconnectNow()) ?? null;
  }

  private stopListeningForWake(): void {
    this.stopWakeSignals?.();
    this.stopWakeSignals = null;
  }

  private markPresence(live: boolean): void {
    if (live === this.presenceIsLive) return;
    this.presenceIsLive = live;
    this.emit('presence_live', { live });
  }

  private setState(next: ConnectionState): void {
    if (next === this.currentState) return;
    this.currentState = next;
    this.emit('state', next);
  }
}

const LOBBY = 'lobby';

function historyKey(withUser: number | null, room: string | undefined): string {
  return withUser === null ? `room:${room ?? LOBBY}` : `user:${withUser}`;
}

function readKey(withUser: number | undefined, room: string | undefined): string {
  return withUser === undefined ? `room:${room ?? LOBBY}` : `user:${withUser}`;
}

function refusal(error: ErrorFrame): ChatRequestError {
  return new ChatRequestError('refused', `${error.code}: ${error.message}`, error);
}
