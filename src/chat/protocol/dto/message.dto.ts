import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsNotEmpty, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { ROOM_ID_PATTERN } from '../../rooms/room-id.js';
import { IsChatText } from './chat-text.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const MAX_ID = Number.MAX_SAFE_INTEGER;

/** `client_id`: 1–64 characters chosen by the client (no control characters), the key of an idempotent retry. */
class Idempotent {
  @IsOptional()
  @Length(1, 64, { message: 'client_id must be 1–64 characters' })
  @IsChatText({ message: 'client_id must not contain control characters or lone surrogates' })
  @IsString({ message: 'client_id must be a string' })
  client_id?: string;
}

const ROOM_MESSAGE = 'room must be a room id (a-z, 0-9, _ and -, starting with a letter or digit, at most 64)';

/**
 * A message's `content` (trimmed, not empty, only allowed text — see `FORBIDDEN_TEXT`;
 * its length limit is checked against the configuration) and `client_id`.
 */
class MessageContent extends Idempotent {
  @Transform(trim)
  @IsNotEmpty({ message: 'content must not be empty' })
  @IsChatText({ message: 'content must not contain control characters other than newline and tab, or lone surrogates' })
  @IsString({ message: 'content must be a string' })
  content!: string;
}

/** `chat_message`: `content`, `client_id` and `room` (absent: lobby). */
export class ChatMessageDto extends MessageContent {
  @IsOptional()
  @Matches(ROOM_ID_PATTERN, { message: ROOM_MESSAGE })
  @IsString({ message: ROOM_MESSAGE })
  room?: string;
}

/** `join` and `leave`: `room` (absent: lobby, i.e. presence as in the seed protocol). */
export class RoomDto {
  @IsOptional()
  @Matches(ROOM_ID_PATTERN, { message: ROOM_MESSAGE })
  @IsString({ message: ROOM_MESSAGE })
  room?: string;
}

/** `private_message`: `to` (a user id) and `content`. */
export class PrivateMessageDto extends MessageContent {
  @Min(1, { message: 'to must be a user id (positive integer)' })
  @Max(MAX_ID, { message: 'to must be a user id (positive integer)' })
  @IsInt({ message: 'to must be a user id (positive integer)' })
  to!: number;
}

/** `typing`: `active`, and either `to` (a user id) or `room` (a room other than lobby). */
export class TypingDto {
  @IsOptional()
  @Min(1, { message: 'to must be a user id (positive integer)' })
  @Max(MAX_ID, { message: 'to must be a user id (positive integer)' })
  @IsInt({ message: 'to must be a user id (positive integer)' })
  to?: number;

  @IsOptional()
  @Matches(ROOM_ID_PATTERN, { message: ROOM_MESSAGE })
  @IsString({ message: ROOM_MESSAGE })
  room?: string;

  @IsBoolean({ message: 'active must be a boolean' })
  active!: boolean;
}

/** `history`: `with` or `room` (neither: lobby), `before` (a message id), `limit` 1–50 (default 10). */
export class HistoryDto {
  @IsOptional()
  @Matches(ROOM_ID_PATTERN, { message: ROOM_MESSAGE })
  @IsString({ message: ROOM_MESSAGE })
  room?: string;

  @IsOptional()
  @Min(1, { message: 'with must be a user id (positive integer)' })
  @Max(MAX_ID, { message: 'with must be a user id (positive integer)' })
  @IsInt({ message: 'with must be a user id (positive integer)' })
  with?: number;

  @IsOptional()
  @Min(1, { message: 'before must be a message id (positive integer)' })
  @Max(MAX_ID, { message: 'before must be a message id (positive integer)' })
  @IsInt({ message: 'before must be a message id (positive integer)' })
  before?: number;

  @IsOptional()
  @Min(1, { message: 'limit must be an integer 1–50' })
  @Max(50, { message: 'limit must be an integer 1–50' })
  @IsInt({ message: 'limit must be an integer 1–50' })
  limit?: number;
}

/** `resume`: `since` (the greatest message id the client has; 0 for everything). */
export class ResumeDto {
  @Min(0, { message: 'since must be a message id (integer ≥ 0)' })
  @Max(MAX_ID, { message: 'since must be a message id (integer ≥ 0)' })
  @IsInt({ message: 'since must be a message id (integer ≥ 0)' })
  since!: number;
}

/** `edit_message`: `id` (a message of the sender's) and its new `content`, validated as `chat_message`'s. */
export class EditMessageDto extends MessageContent {
  @Min(1, { message: 'id must be a message id (positive integer)' })
  @Max(MAX_ID, { message: 'id must be a message id (positive integer)' })
  @IsInt({ message: 'id must be a message id (positive integer)' })
  id!: number;
}

/** `delete_message`: `id` of the message to delete. */
export class DeleteMessageDto {
  @Min(1, { message: 'id must be a message id (positive integer)' })
  @Max(MAX_ID, { message: 'id must be a message id (positive integer)' })
  @IsInt({ message: 'id must be a message id (positive integer)' })
  id!: number;
}

/** `block` and `unblock`: `user_id`, another user. */
export class BlockDto {
  @Min(1, { message: 'user_id must be a user id (positive integer)' })
  @Max(MAX_ID, { message: 'user_id must be a user id (positive integer)' })
  @IsInt({ message: 'user_id must be a user id (positive integer)' })
  user_id!: number;
}

/** `flag`: `id` of a room message and `reason` (trimmed, 1–500 characters). */
export class FlagDto {
  @Min(1, { message: 'id must be a message id (positive integer)' })
  @Max(MAX_ID, { message: 'id must be a message id (positive integer)' })
  @IsInt({ message: 'id must be a message id (positive integer)' })
  id!: number;

  @Transform(trim)
  @Length(1, 500, { message: 'reason must be 1–500 characters' })
  @IsChatText({ message: 'reason must not contain control characters other than newline and tab, or lone surrogates' })
  @IsString({ message: 'reason must be a string' })
  reason!: string;
}

/** `online_page`: `after` (a user id; absent: from the start), `limit` 1–500 (default 100). */
export class OnlinePageDto {
  @IsOptional()
  @Min(0, { message: 'after must be a user id (integer ≥ 0)' })
  @Max(MAX_ID, { message: 'after must be a user id (integer ≥ 0)' })
  @IsInt({ message: 'after must be a user id (integer ≥ 0)' })
  after?: number;

  @IsOptional()
  @Min(1, { message: 'limit must be an integer 1–500' })
  @Max(500, { message: 'limit must be an integer 1–500' })
  @IsInt({ message: 'limit must be an integer 1–500' })
  limit?: number;
}

/** Frames without fields: `join`, `leave`, `blocks`. */
export class EmptyDto {}
