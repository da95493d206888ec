import type { ClientFrameType, ErrorCode, ServerFrameType } from './frames.js';

/** Every server frame type (the compiler keeps this list equal to `ServerFrameType`). */
export const SERVER_FRAME_TYPES = Object.keys({
  online_users: true,
  online_page: true,
  presence: true,
  user_joined: true,
  user_left: true,
  chat_message: true,
  private_message: true,
  typing: true,
  ack: true,
  history: true,
  conversations: true,
  users: true,
  read: true,
  rooms: true,
  resumed: true,
  message_edited: true,
  message_deleted: true,
  blocks: true,
  flagged: true,
  muted: true,
  unmuted: true,
  open_flags: true,
  flag_resolved: true,
  joined: true,
  left: true,
  error: true,
} satisfies Record<ServerFrameType, true>) as ServerFrameType[];

/** Every client frame type (the compiler keeps this list equal to `ClientFrameType`). */
export const CLIENT_FRAME_TYPES = Object.keys({
  join: true,
  leave: true,
  chat_message: true,
  private_message: true,
  typing: true,
  history: true,
  conversations: true,
  search_users: true,
  mark_read: true,
  rooms: true,
  resume: true,
  edit_message: true,
  delete_message: true,
  block: true,
  unblock: true,
  blocks: true,
  flag: true,
  mute: true,
  unmute: true,
  open_flags: true,
  resolve_flag: true,
  online_page: true,
} satisfies Record<ClientFrameType, true>) as ClientFrameType[];

/** Every `error.code` (the compiler keeps this list equal to `ErrorCode`). */
export const ERROR_CODES = Object.keys({
  invalid_json: true,
  unknown_type: true,
  invalid_message: true,
  not_found: true,
  forbidden: true,
  rate_limited: true,
  internal: true,
} satisfies Record<ErrorCode, true>) as ErrorCode[];

const serverTypes = new Set<string>(SERVER_FRAME_TYPES);
const LEADING_TYPE = /^\{"type":"([a-z_]{1,32})"/;

/**
 * The `type` of a frame serialized by the server (`JSON.stringify` puts `type` first, as
 * every frame object of the server is written): reads only the first characters, never
 * parses the frame. Null for anything that does not start with a server frame type.
 */
export function serializedFrameType(frame: string): ServerFrameType | null {
  const type = LEADING_TYPE.exec(frame.slice(0, 48))?.[1];
  return type !== undefined && serverTypes.has(type) ? (type as ServerFrameType) : null;
}
