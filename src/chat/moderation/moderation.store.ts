/** A user silenced in a room until `until` (epoch ms), or until lifted (`until` null). */
export interface Mute {
  room: string;
  userId: number;
  until: number | null;
  mutedBy: number;
  createdAt: number;
}

/** A user's report of a room message; open until a moderator resolves it. */
export interface Flag {
  id: number;
  messageId: number;
  room: string;
  flaggerId: number;
  reason: string;
  createdAt: number;
  resolvedBy: number | null;
  resolvedAt: number | null;
  resolution: string | null;
}

/** What a moderator did. */
export type AuditAction = 'delete' | 'mute' | 'unmute' | 'resolve_flag';

/** One moderator action: who (`actorId`), what (`action` and its targets), when (`createdAt`). */
export interface AuditEntry {
  id: number;
  actorId: number;
  action: AuditAction;
  room: string | null;
  targetUserId: number | null;
  messageId: number | null;
  flagId: number | null;
  /** Free text: a mute's end, a flag's resolution. */
  detail: string | null;
  createdAt: number;
}

/**
 * forum-chat's own moderation records: blocks between users, mutes per room, flags on room
 * messages, and the audit log of moderator actions. Who may moderate is never stored here
 * (the forum's `ChatRoomPolicy` answers that). Guarantees:
 * - everything is durable once the call resolved and is seen by every instance sharing the
 *   store from then on;
 * - `block`, `unblock`, `mute` (which replaces a user's mute in a room) and `unmute` are
 *   idempotent; a mute whose `until` is past is as if lifted (`muteOf` and `mutes` skip it,
 *   `unmute` leaves it) until `endExpiredMutes` hands it out — to exactly one caller across
 *   every instance sharing the store;
 * - a user flags one message at most once: flagging it again answers the first flag
 *   (`created: false`); `resolveFlag` resolves an open flag once (null after, or if none);
 * - ids of flags and audit entries are positive and increase in creation order;
 *   `auditLog` lists the newest first.
 */
export interface ModerationStore {
  block(userId: number, blockedId: number, at: number): Promise<void>;
  unblock(userId: number, blockedId: number): Promise<void>;
  /** The ids `userId` blocks, ascending. */
  blockedBy(userId: number): Promise<number[]>;
  /** Whether `userId` blocks `otherId`. */
  blocks(userId: number, otherId: number): Promise<boolean>;

  mute(mute: Mute): Promise<void>;
  /** Lifts an active mute; whether there was one (an expired one is left to `endExpiredMutes`). */
  unmute(room: string, userId: number, now: number): Promise<boolean>;
  /** The user's active mute in `room` at `now`, if any. */
  muteOf(room: string, userId: number, now: number): Promise<Mute | null>;
  /** Every active mute at `now`, by room then user. */
  mutes(now: number): Promise<Mute[]>;
  /**
   * Removes up to `limit` mutes whose `until` is at or before `now` and answers them; a mute
   * is answered by one call only, whichever instance makes it. Optional for a host's own
   * store (with `nextMuteEnd`): without it a timed mute still ends on time, unannounced.
   */
  endExpiredMutes?(now: number, limit: number): Promise<Mute[]>;
  /** The earliest `until` after `now` of the timed mutes, null when there is none. */
  nextMuteEnd?(now: number): Promise<number | null>;

  flag(flag: Omit<Flag, 'id' | 'resolvedBy' | 'resolvedAt' | 'resolution'>): Promise<{ flag: Flag; created: boolean }>;
  /** Open flags of `room`, oldest first. */
  openFlags(room: string): Promise<Flag[]>;
  findFlag(id: number): Promise<Flag | null>;
  resolveFlag(id: number, resolution: { by: number; at: number; resolution: string }): Promise<Flag | null>;

  audit(entry: Omit<AuditEntry, 'id'>): Promise<AuditEntry>;
  /** Audit entries with id < `beforeId` (absent: the newest), newest first, at most `limit`. */
  auditLog(query: { beforeId?: number; limit: number }): Promise<AuditEntry[]>;

  close(): Promise<void>;
}

/** Injection token of the `ModerationStore`. */
export const ModerationStore = Symbol('ModerationStore');
