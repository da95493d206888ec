/**
 * The wire protocol of `/ws`: every frame a client may send and every frame the
 * server sends, as plain TypeScript types. Shared by the server, the typed client
 * and the tests, so a change to the protocol is a compile error everywhere it matters.
 */

/** A user as other users see them. */
export interface PublicUser {
  id: number;
  nickname: string;
}

/**
 * Frames a client sends, keyed by `type`. `room` is optional wherever it appears: a frame
 * without it means lobby, exactly as in the seed protocol.
 */
export type ClientFrame =
  | { type: 'join'; room?: string }
  | { type: 'leave'; room?: string }
  | { type: 'chat_message'; content: string; client_id?: string; room?: string }
  | { type: 'private_message'; to: number; content: string; client_id?: string }
  | { type: 'typing'; to?: number; room?: string; active: boolean }
  | { type: 'history'; with?: number; room?: string; before?: number; limit?: number }
  | { type: 'conversations'; before?: number; limit?: number }
  | { type: 'search_users'; prefix: string; after?: string }
  | { type: 'mark_read'; with?: number; room?: string; id: number }
  | { type: 'rooms' }
  | { type: 'resume'; since: number }
  | { type: 'edit_message'; id: number; content: string; client_id?: string }
  | { type: 'delete_message'; id: number }
  | { type: 'block'; user_id: number }
  | { type: 'unblock'; user_id: number }
  | { type: 'blocks' }
  | { type: 'flag'; id: number; reason: string }
  | { type: 'mute'; user_id: number; room?: string; duration_ms?: number }
  | { type: 'unmute'; user_id: number; room?: string }
  | { type: 'open_flags'; room?: string }
  | { type: 'resolve_flag'; id: number; resolution: string }
  | { type: 'online_page'; after?: number; limit?: number };

/** The `type` of every client frame. */
export type ClientFrameType = ClientFrame['type'];

/** A room message as delivered and as returned by `history`/`resume`. */
export interface ChatMessageFrame {
  type: 'chat_message';
  /** The room, for every room but lobby; absent for a lobby message (as in the seed protocol). */
  room?: string;
  id: number;
  content: string;
  user_id: number;
  nickname: string;
  timestamp: string;
  /** When its author last edited it; absent if never edited. */
  edited_at?: string;
  /** True when you block its author (a client may hide it); absent otherwise. */
  blocked?: boolean;
  /** Ids of the users its `@nickname`s mention (ascending); absent when none. */
  mentions?: number[];
}

/** A private message as delivered and as returned by `history`/`resume`. */
export interface PrivateMessageFrame {
  type: 'private_message';
  id: number;
  content: string;
  user_id: number;
  nickname: string;
  to: number;
  timestamp: string;
  /** When its author last edited it; absent if never edited. */
  edited_at?: string;
  /** Ids of the users its `@nickname`s mention (here: the recipient); absent when none. */
  mentions?: number[];
}

/** Any stored message. */
export type MessageFrame = ChatMessageFrame | PrivateMessageFrame;

export interface OnlineUsersFrame {
  type: 'online_users';
  users: PublicUser[];
  /**
   * Only when the list is cut at the presence list limit (more users are online than a
   * client without `presence_changes` is sent): how many users are online in all.
   */
  count?: number;
}

/** A page of the online users, by id (reply to `online_page`; the first page on connect with `presence_changes`). */
export interface OnlinePageFrame {
  type: 'online_page';
  users: PublicUser[];
  /** How many users are online in all. */
  count: number;
  /** More users follow: ask again with `after` = the last id of this page. */
  has_more: boolean;
}

/**
 * Presence changes since the previous `presence` frame (at most one per tick), for sockets
 * that negotiated `presence_changes`: every user whose state changed meanwhile, in `joined`
 * (online when the frame was made) or `left` (offline then). With `overflow`, more users changed than one frame lists: both lists are empty and
 * only `count` is exact; re-read the pages to know who is online.
 */
export interface PresenceFrame {
  type: 'presence';
  count: number;
  joined: PublicUser[];
  left: PublicUser[];
  overflow: boolean;
}

export interface PresenceChangeFrame {
  type: 'user_joined' | 'user_left';
  user_id: number;
  nickname: string;
  timestamp: string;
}

export interface TypingFrame {
  type: 'typing';
  /** The room the user types in; absent for typing in a private conversation. */
  room?: string;
  user_id: number;
  nickname: string;
  active: boolean;
}

export interface AckFrame {
  type: 'ack';
  client_id: string | null;
  id: number;
  timestamp: string;
}

export interface HistoryFrame {
  type: 'history';
  /** The room of the page, for every room but lobby; absent for lobby and private pages. */
  room?: string;
  with: number | null;
  messages: MessageFrame[];
  has_more: boolean;
  /** Ids of deleted messages within the page (tombstones: drop them if cached); absent when none. */
  deleted?: number[];
}

/** A message's new content, to every socket that can see the message (and as the reply to `edit_message`). */
export interface MessageEditedFrame {
  type: 'message_edited';
  id: number;
  user_id: number;
  content: string;
  edited_at: string;
  /** Everyone the message mentions after the edit, ascending; absent when none. */
  mentions?: number[];
  /** Of those, the users this edit mentions for the first time (notified as by a new message); absent when none. */
  new_mentions?: number[];
}

/** Your flag of a room message is recorded (the reply to `flag`; flagging again answers the same flag). */
export interface FlaggedFrame {
  type: 'flagged';
  flag_id: number;
  message_id: number;
}

/**
 * `user_id` is muted in `room`: to every socket of the muted user, on every instance, when
 * the mute begins (so a client can disable its composer), and as the reply to the
 * moderator's `mute`. `until` null: until a moderator lifts it; else `remaining_ms` says how
 * long it lasts from the moment the frame was made.
 */
export interface MutedFrame {
  type: 'muted';
  room: string;
  user_id: number;
  until: string | null;
  remaining_ms: number | null;
}

/** `user_id`'s mute in `room` was lifted or ran out: to every socket of that user, and as the reply to `unmute`. */
export interface UnmutedFrame {
  type: 'unmuted';
  room: string;
  user_id: number;
}

/** An open flag as a room's moderators see it (never naming the flagger). */
export interface OpenFlag {
  id: number;
  message_id: number;
  reason: string;
  created_at: string;
}

/** The reply to `open_flags`: the open flags of a room you moderate, oldest first. */
export interface OpenFlagsFrame {
  type: 'open_flags';
  room: string;
  flags: OpenFlag[];
}

/** The reply to `resolve_flag`: the flag is resolved (once; by you). */
export interface FlagResolvedFrame {
  type: 'flag_resolved';
  id: number;
  message_id: number;
  room: string;
  resolution: string;
}

/** The users you block, to every socket of yours whenever it changes, and as the reply to `blocks`. */
export interface BlocksFrame {
  type: 'blocks';
  user_ids: number[];
}

/**
 * A message was deleted: drop it. Sent to every socket that could see it, as the reply to
 * `delete_message`, and by `resume` as the tombstone of a message deleted meanwhile. Final:
 * a later `message_edited` of the same id is to be ignored.
 */
export interface MessageDeletedFrame {
  type: 'message_deleted';
  id: number;
  deleted_at: string;
}

/** One private conversation of the caller: the other user, the last message and the caller's read state. */
export interface ConversationEntry extends PublicUser {
  online: boolean;
  /** Time of the last private message between the two. */
  last_message_at: string;
  /** Id of that message: the `before` of the next page when this entry is the last of one. */
  last_message_id: number;
  /** The caller's read position in the conversation (0: nothing marked read). */
  read_id: number;
  /** Messages from the other user after `read_id`, at most 99. */
  unread: number;
  /** Of those, the ones that mention you, at most 99. */
  mentions: number;
  /** Only when there are more than 99 unread messages. */
  unread_more?: boolean;
}

/** A page of the caller's private conversations, most recent first (the reply to `conversations`). */
export interface ConversationsFrame {
  type: 'conversations';
  users: ConversationEntry[];
  /** More conversations follow: ask again with `before` = the last entry's `last_message_id`. */
  has_more: boolean;
}

/** A room you can read, with your rights and read state there. */
export interface RoomEntry {
  id: string;
  title: string;
  /** You may send `chat_message` and `typing` there. */
  post: boolean;
  /** You moderate the room. */
  moderate: boolean;
  /** Time and id of the room's last message; null and 0 while it has none. */
  last_message_at: string | null;
  last_message_id: number;
  /** Your read position in the room (0: nothing marked read). */
  read_id: number;
  /** Messages of others after `read_id`, at most 99. */
  unread: number;
  /** Messages after `read_id` that mention you, at most 99. */
  mentions: number;
  /** Only when there are more than 99 unread messages. */
  unread_more?: boolean;
}

/** Every room you can read, as the forum decides, lobby first (the reply to `rooms`). */
export interface RoomsFrame {
  type: 'rooms';
  rooms: RoomEntry[];
}

/** A page of the users whose nickname starts with `prefix` (the reply to `search_users`). */
export interface UsersFrame {
  type: 'users';
  prefix: string;
  /** At most 20, ordered by lower-cased nickname; the caller is never listed. */
  users: PublicUser[];
  /** More users follow: ask again with `after` = the last nickname of this page. */
  has_more: boolean;
}

/**
 * Your read position in the private conversation with `with`, or in the room `room`, moved
 * (or was confirmed): to every socket of yours, on every instance, after a `mark_read` from
 * any of them. Exactly one of `with` and `room` is present.
 */
export interface ReadFrame {
  type: 'read';
  with?: number;
  room?: string;
  /** The read position: every message up to this id counts as read. */
  id: number;
  /** Messages of others after `id`, at most 99. */
  unread: number;
  /** Messages after `id` that mention you, at most 99. */
  mentions: number;
  /** Only when there are more than 99 unread messages. */
  unread_more?: boolean;
}

export interface ResumedFrame {
  type: 'resumed';
  last_id: number;
  has_more: boolean;
}

/** You follow `room` now (the reply to `join` with a room other than lobby): its title and your rights there. */
export interface JoinedFrame {
  type: 'joined';
  room: string;
  title: string;
  /** You may send `chat_message` and `typing` there. */
  post: boolean;
  /** You moderate the room. */
  moderate: boolean;
}

/**
 * You no longer follow `room`: the reply to `leave` with a room other than lobby, or sent on
 * its own with `reason: 'access'` when the forum took your read access away.
 */
export interface LeftFrame {
  type: 'left';
  room: string;
  /** Only when the server ended the following: `access`, you may no longer read the room. */
  reason?: 'access';
}

/** Every `error.code` of the contract. */
export type ErrorCode =
  'invalid_json' | 'unknown_type' | 'invalid_message' | 'not_found' | 'forbidden' | 'rate_limited' | 'internal';

export interface ErrorFrame {
  type: 'error';
  code: ErrorCode;
  message: string;
  /** The request's `client_id` if it had one, else its `type` (null when even that is unknown). */
  ref: string | null;
  /** Only with `rate_limited`: how long until one more message is accepted. */
  retry_after_ms?: number;
}

/** Frames the server sends. */
export type ServerFrame =
  | OnlineUsersFrame
  | OnlinePageFrame
  | PresenceFrame
  | PresenceChangeFrame
  | ChatMessageFrame
  | PrivateMessageFrame
  | TypingFrame
  | AckFrame
  | HistoryFrame
  | ConversationsFrame
  | UsersFrame
  | ReadFrame
  | RoomsFrame
  | ResumedFrame
  | MessageEditedFrame
  | MessageDeletedFrame
  | BlocksFrame
  | FlaggedFrame
  | MutedFrame
  | UnmutedFrame
  | OpenFlagsFrame
  | FlagResolvedFrame
  | JoinedFrame
  | LeftFrame
  | ErrorFrame;

/** The `type` of every server frame. */
export type ServerFrameType = ServerFrame['type'];
