import { IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { ROOM_ID_PATTERN } from '../../rooms/room-id.js';
import { IsChatText } from './chat-text.js';

const MAX_ID = Number.MAX_SAFE_INTEGER;

/** Largest and default page of `conversations`. */
export const CONVERSATIONS_PAGE_LIMIT = 100;
export const CONVERSATIONS_DEFAULT_LIMIT = 50;

/** `conversations`: `before` (a `last_message_id` from the previous page; absent: the most recent), `limit` 1–100 (default 50). */
export class ConversationsDto {
  @IsOptional()
  @Min(1, { message: 'before must be a message id (positive integer)' })
  @Max(MAX_ID, { message: 'before must be a message id (positive integer)' })
  @IsInt({ message: 'before must be a message id (positive integer)' })
  before?: number;

  @IsOptional()
  @Min(1, { message: 'limit must be an integer 1–100' })
  @Max(CONVERSATIONS_PAGE_LIMIT, { message: 'limit must be an integer 1–100' })
  @IsInt({ message: 'limit must be an integer 1–100' })
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

const ROOM_MESSAGE = 'room must be a room id (a-z, 0-9, _ and -, starting with a letter or digit, at most 64)';

/**
 * `mark_read`: the private conversation `with` a user, or the room `room` (neither: lobby), is
 * read up to message `id` (naming both is refused).
 */
export class MarkReadDto {
  @IsOptional()
  @Min(1, { message: 'with must be a user id (positive integer)' })
  @Max(MAX_ID, { message: 'with must be a user id (positive integer)' })
  @IsInt({ message: 'with must be a user id (positive integer)' })
  with?: number;

  @IsOptional()
  @Matches(ROOM_ID_PATTERN, { message: ROOM_MESSAGE })
  @IsString({ message: ROOM_MESSAGE })
  room?: string;

  @Min(1, { message: 'id must be a message id (positive integer)' })
  @Max(MAX_ID, { message: 'id must be a message id (positive integer)' })
  @IsInt({ message: 'id must be a message id (positive integer)' })
  id!: number;
}
