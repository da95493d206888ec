/** The room every user can read and post in; frames that name no room mean this one. */
export const LOBBY = 'lobby';

/** A room id: a lower-case letter or digit, then up to 63 of letters, digits, `_`, `-`. */
export const ROOM_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** Whether `value` is a well-formed room id (whether the room exists is the policy's answer). */
export function isRoomId(value: unknown): value is string {
  return typeof value === 'string' && ROOM_ID_PATTERN.test(value);
}
