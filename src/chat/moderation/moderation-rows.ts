import type { AuditAction, AuditEntry, Flag, Mute } from './moderation.store.js';

type Num = number | string;
const num = (value: Num): number => Number(value);
const numOrNull = (value: Num | null): number | null => (value === null ? null : Number(value));

/** A `chat_mutes` row as either driver returns it. */
export interface MuteRow {
  room: string;
  user_id: Num;
  until: Num | null;
  muted_by: Num;
  created_at: Num;
}

/** A `chat_flags` row as either driver returns it. */
export interface FlagRow {
  id: Num;
  message_id: Num;
  room: string;
  flagger_id: Num;
  reason: string;
  created_at: Num;
  resolved_by: Num | null;
  resolved_at: Num | null;
  resolution: string | null;
}

/** A `chat_audit` row as either driver returns it. */
export interface AuditRow {
  id: Num;
  actor_id: Num;
  action: string;
  room: string | null;
  target_user_id: Num | null;
  message_id: Num | null;
  flag_id: Num | null;
  detail: string | null;
  created_at: Num;
}

export const MUTE_COLUMNS = 'room, user_id, until, muted_by, created_at';
export const FLAG_COLUMNS =
  'id, message_id, room, flagger_id, reason, created_at, resolved_by, resolved_at, resolution';
export const AUDIT_COLUMNS = 'id, actor_id, action, room, target_user_id, message_id, flag_id, detail, created_at';

export const toMute = (row: MuteRow): Mute => ({
  room: row.room,
  userId: num(row.user_id),
  until: numOrNull(row.until),
  mutedBy: num(row.muted_by),
  createdAt: num(row.created_at),
});

export const toFlag = (row: FlagRow): Flag => ({
  id: num(row.id),
  messageId: num(row.message_id),
  room: row.room,
  flaggerId: num(row.flagger_id),
  reason: row.reason,
  createdAt: num(row.created_at),
  resolvedBy: numOrNull(row.resolved_by),
  resolvedAt: numOrNull(row.resolved_at),
  resolution: row.resolution,
});

export const toAudit = (row: AuditRow): AuditEntry => ({
  id: num(row.id),
  actorId: num(row.actor_id),
  action: row.action as AuditAction,
  room: row.room,
  targetUserId: numOrNull(row.target_user_id),
  messageId: numOrNull(row.message_id),
  flagId: numOrNull(row.flag_id),
  detail: row.detail,
  createdAt: num(row.created_at),
});
