import { IsBoolean, IsNotEmpty, IsOptional, IsString, Length } from 'class-validator';
import { IsChatText } from './chat-text.js';
import { IsIntegerIn, IsMessageId, IsRoomId, IsUserId, MAX_ID, Trimmed } from './field-rules.js';

/** `client_id`: 1–64 characters chosen by the client (no control characters), the key of an idempotent retry. */
class Idempotent {
  @IsOptional()
  @Length(1, 64, { message: 'client_id must be 1–64 characters' })
  @IsChatText({ message: 'client_id must not contain control characters or lone surrogates' })
  @IsString({ message: 'client_id must be a string' })
  client_id?: string;
}

/**
 * A message's `content` (trimmed, not empty, only allowed text — see `FORBIDDEN_TEXT`;
 * its length limit is checked against the configuration) and `client_id`.
 */
class MessageContent extends Idempotent {
  @Trimmed()
  @IsNotEmpty({ message: 'content must not be empty' })
  @IsChatText({ message: 'content must not contain control characters other than newline and tab, or lone surrogates' })
  @IsString({ message: 'content must be a string' })
  content!: string;
}

/** `chat_message`: `content`, `client_id` and `room` (absent: lobby). */
export class ChatMessageDto extends MessageContent {
  @IsOptional()
  @IsRoomId()
  room?: string;
}

/** `join` and `leave`: `room` (absent: lobby, i.e. presence as in the seed protocol). */
export class RoomDto {
  @IsOptional()
  @IsRoomId()
  room?: string;
}

/** `private_message`: `to` (a user id) and `content`. */
export class PrivateMessageDto extends MessageContent {
  @IsUserId()
  to!: number;
}

/** `typing`: `active`, and either `to` (a user id) or `room` (a room other than lobby). */
export class TypingDto {
  @IsOptional()
  @IsUserId()
  to?: number;

  @IsOptional()
  @IsRoomId()
  room?: string;

  @IsBoolean({ message: 'active must be a boolean' })
  active!: boolean;
}

/** `history`: `with` or `room` (neither: lobby), `before` (a message id), `limit` 1–50 (default 10). */
export class HistoryDto {
  @IsOptional()
  @IsRoomId()
  room?: string;

  @IsOptional()
  @IsUserId()
  with?: number;

  @IsOptional()
  @IsMessageId()
  before?: number;

  @IsOptional()
  @IsIntegerIn(1, 50, 'limit must be an integer 1–50')
  limit?: number;
}

/** `resume`: `since` (the greatest message id the client has; 0 for everything). */
export class ResumeDto {
  @IsIntegerIn(0, MAX_ID, 'since must be a message id (integer ≥ 0)')
  since!: number;
}

/** `edit_message`: `id` (a message of the sender's) and its new `content`, validated as `chat_message`'s. */
export class EditMessageDto extends MessageContent {
  @IsMessageId()
  id!: number;
}

/** `delete_message`: `id` of the message to delete. */
export class DeleteMessageDto {
  @IsMessageId()
  id!: number;
}

/** `block` and `unblock`: `user_id`, another user. */
export class BlockDto {
  @IsUserId()
  user_id!: number;
}

/** `flag`: `id` of a room message and `reason` (trimmed, 1–500 characters). */
export class FlagDto {
  @IsMessageId()
  id!: number;

  @Trimmed()
  @Length(1, 500, { message: 'reason must be 1–500 characters' })
  @IsChatText({ message: 'reason must not contain control characters other than newline and tab, or lone surrogates' })
  @IsString({ message: 'reason must be a string' })
  reason!: string;
}

/** `online_page`: `after` (a user id; absent: from the start), `limit` 1–500 (default 100). */
export class OnlinePageDto {
  @IsOptional()
  @IsIntegerIn(0, MAX_ID, 'after must be a user id (integer ≥ 0)')
  after?: number;

  @IsOptional()
  @IsIntegerIn(1, 500, 'limit must be an integer 1–500')
  limit?: number;
}

/** Frames without fields: `join`, `leave`, `blocks`. */
export class EmptyDto {}
