import { IsOptional, IsString, Length } from 'class-validator';
import { IsChatText } from './chat-text.js';
import { IsIntegerIn, IsMessageId, IsRoomId, IsUserId } from './field-rules.js';

/** Largest and default page of `conversations`. */
export const CONVERSATIONS_PAGE_LIMIT = 100;
export const CONVERSATIONS_DEFAULT_LIMIT = 50;

/** `conversations`: `before` (a `last_message_id` from the previous page; absent: the most recent), `limit` 1–100 (default 50). */
export class ConversationsDto {
  @IsOptional()
  @IsMessageId()
  before?: number;

  @IsOptional()
  @IsIntegerIn(1, CONVERSATIONS_PAGE_LIMIT, 'limit must be an integer 1–100')
  limit?: number;
}

/** `search_users`: `prefix` of a nickname (1–32 characters) and `after` (the last nickname of the previous page). */
export class SearchUsersDto {
  @Length(1, 32, { message: 'prefix must be 1–32 characters' })
  @IsChatText({ message: 'prefix must not contain control characters or lone surrogates' })
  @IsString({ message: 'prefix must be a string' })
  prefix!: string;

  @IsOptional()
  @Length(1, 32, { message: 'after must be 1–32 characters' })
  @IsChatText({ message: 'after must not contain control characters or lone surrogates' })
  @IsString({ message: 'after must be a string' })
  after?: string;
}

/**
 * `mark_read`: the private conversation `with` a user, or the room `room` (neither: lobby), is
 * read up to message `id` (naming both is refused).
 */
export class MarkReadDto {
  @IsOptional()
  @IsUserId()
  with?: number;

  @IsOptional()
  @IsRoomId()
  room?: string;

  @IsMessageId()
  id!: number;
}
