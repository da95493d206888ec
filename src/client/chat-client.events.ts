import type {
  AckFrame,
  BlocksFrame,
  FlaggedFrame,
  FlagResolvedFrame,
  MutedFrame,
  OpenFlagsFrame,
  UnmutedFrame,
  ChatMessageFrame,
  ConversationsFrame,
  ErrorFrame,
  HistoryFrame,
  JoinedFrame,
  LeftFrame,
  MessageDeletedFrame,
  MessageEditedFrame,
  OnlinePageFrame,
  OnlineUsersFrame,
  PresenceFrame,
  PresenceChangeFrame,
  PrivateMessageFrame,
  ReadFrame,
  RoomsFrame,
  ResumedFrame,
  ServerFrame,
  TypingFrame,
  UsersFrame,
} from '../chat/protocol/frames.js';
import type { ConnectionState } from './connection-state.js';

/** A message frame the client sends and keeps until its `ack`. */
export type OutgoingMessage =
  | { type: 'chat_message'; content: string; client_id: string; room?: string }
  | { type: 'private_message'; to: number; content: string; client_id: string };

/** One event per server frame type, carrying the frame as received. */
export interface ServerFrameEvents {
  online_users: OnlineUsersFrame;
  /** A page of the online users (reply to `online_page`; the first page on connect with `presence_changes`). */
  online_page: OnlinePageFrame;
  /** The presence changes since the previous `presence` frame (only with `presence_changes`). */
  presence: PresenceFrame;
  user_joined: PresenceChangeFrame;
  user_left: PresenceChangeFrame;
  /** Each stored public message once, whether it came live or from a `resume` replay. */
  chat_message: ChatMessageFrame;
  /** Each stored private message once, whether it came live or from a `resume` replay. */
  private_message: PrivateMessageFrame;
  typing: TypingFrame;
  ack: AckFrame;
  history: HistoryFrame;
  conversations: ConversationsFrame;
  /** A page of users found by nickname prefix (reply to `search_users`). */
  users: UsersFrame;
  /** Your read position in a private conversation moved, on this tab or another. */
  read: ReadFrame;
  /** The rooms you can read, with unread counts (reply to `rooms`). */
  rooms: RoomsFrame;
  resumed: ResumedFrame;
  /** A message's new content (drop it if that message was deleted). */
  message_edited: MessageEditedFrame;
  /** A message was deleted: drop it. */
  message_deleted: MessageDeletedFrame;
  /** The users this user blocks (after `block`/`unblock` on any tab, or in reply to `blocks`). */
  blocks: BlocksFrame;
  /** Your `flag` of a message is recorded. */
  flagged: FlaggedFrame;
  /** A user is muted in a room: you (disable the composer there for `remaining_ms`, or until `unmuted`), or the one your `mute` named. */
  muted: MutedFrame;
  /** A mute was lifted: yours, or the one your `unmute` named. */
  unmuted: UnmutedFrame;
  /** The open flags of a room you moderate (reply to `open_flags`). */
  open_flags: OpenFlagsFrame;
  /** A flag you resolved (reply to `resolve_flag`). */
  flag_resolved: FlagResolvedFrame;
  /** You follow a room (reply to `join` with a room). */
  joined: JoinedFrame;
  /** You no longer follow a room (reply to `leave` with a room, or `reason: 'access'`). */
  left: LeftFrame;
  error: ErrorFrame;
}

/** Every event of `ChatClient`. */
export interface ChatClientEvents extends ServerFrameEvents {
  /** The connection state changed (also readable as `client.state`). */
  state: ConnectionState;
  /** A socket opened. `reconnect` is true for every socket after the first. */
  open: { reconnect: boolean };
  /**
   * Whether the presence seen is live: true on each `online_users` after a (re)connection,
   * false when the connection drops (the online list shown is then the last known one).
   */
  presence_live: { live: boolean };
  /** A `resume` finished (every `has_more` page followed): nothing missed up to `lastId`. */
  synced: { lastId: number };
  /** A socket closed for any reason other than the end of the session. */
  disconnected: { code: number; reason: string; willReconnect: boolean };
  /** A reconnect is scheduled in `delayMs` (attempt counts from 1). */
  reconnecting: { attempt: number; delayMs: number };
  /**
   * The session ended (close 4401, or the session check before a reconnect said no). The
   * client stays down; log in again and call `connect()`. `unsent` are the messages that
   * never got an ack; they were not delivered.
   */
  session_ended: { code: number | null; reason: string; unsent: OutgoingMessage[] };
  /** A message was refused by the server (not retried); its promise rejected too. */
  send_failed: { message: OutgoingMessage; error: ErrorFrame };
  /** Every server frame, before its own event (duplicates included). */
  frame: ServerFrame;
}
