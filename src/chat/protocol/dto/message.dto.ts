import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsNotEmpty, IsOptional, IsString, Length, Max, Min } from 'class-validator';
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

/**
 * `chat_message`: `content` (trimmed, not empty, only allowed text — see `FORBIDDEN_TEXT`;
 * its length limit is checked against the configuration).
 */
export class ChatMessageDto extends Idempotent {
  @Transform(trim)
  @IsNotEmpty({ message: 'content must not be empty' })
  @IsChatText({ message: 'content must not contain control characters other than newline and tab, or lone surrogates' })
  @IsString({ message: 'content must be a string' })
  content!: string;
}

/** `private_message`: `to` (a user id) and `content`. */
export class PrivateMessageDto extends ChatMessageDto {
  @Min(1, { message: 'to must be a user id (positive integer)' })
  @Max(MAX_ID, { message: 'to must be a user id (positive integer)' })
  @IsInt({ message: 'to must be a user id (positive integer)' })
  to!: number;
}

/** `typing`: `to` (a user id) and `active`. */
export class TypingDto {
  @Min(1, { message: 'to must be a user id (positive integer)' })
  @Max(MAX_ID, { message: 'to must be a user id (positive integer)' })
  @IsInt({ message: 'to must be a user id (positive integer)' })
  to!: number;

  @IsBoolean({ message: 'active must be a boolean' })
  active!: boolean;
}

/** `history`: `with` (absent: the public room), `before` (a message id), `limit` 1–50 (default 10). */
export class HistoryDto {
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
export class EditMessageDto extends ChatMessageDto {
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
