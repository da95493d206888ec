import type { PresenceChangeFrame, PublicUser } from './frames.js';

/**
 * The `user_joined` / `user_left` frame of `user` at `stamp` (an ISO timestamp), its
 * fields in wire order. Every announcement is built here, the Redis presence script's
 * included (`presence-announcement.lua.ts` generates its Lua from this function).
 */
export function presenceChangeFrame(
  type: PresenceChangeFrame['type'],
  user: PublicUser,
  stamp: string,
): PresenceChangeFrame {
  return { type, user_id: user.id, nickname: user.nickname, timestamp: stamp };
}
