import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { ROOM_ID_PATTERN } from '../../rooms/room-id.js';
import { IsChatText } from './chat-text.js';

const MAX_ID = Number.MAX_SAFE_INTEGER;
const ROOM_RULE = 'room must be a room id (a-z, 0-9, _ and -, starting with a letter or digit, at most 64)';
const USER_RULE = 'user_id must be a user id (positive integer)';
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** Shortest and longest timed mute (the same bounds as the admin API's). */
export const MUTE_MIN_MS = 1_000;
export const MUTE_MAX_MS = 366 * 86_400_000;

/** A frame that names a room, lobby when absent. */
class InRoom {
  @IsOptional()
  @Matches(ROOM_ID_PATTERN, { message: ROOM_RULE })
  @IsString({ message: ROOM_RULE })
  room?: string;
}

/** `unmute`: `user_id` in `room` (absent: lobby). */
export class UnmuteDto extends InRoom {
  @Min(1, { message: USER_RULE })
  @Max(MAX_ID, { message: USER_RULE })
  @IsInt({ message: USER_RULE })
  user_id!: number;
}

/** `mute`: `user_id` in `room` (absent: lobby) for `duration_ms` (1 s to 366 days; absent: until lifted). */
export class MuteDto extends UnmuteDto {
  @IsOptional()
  @Min(MUTE_MIN_MS, { message: 'duration_ms must be an integer of milliseconds, 1000 to 366 days' })
  @Max(MUTE_MAX_MS, { message: 'duration_ms must be an integer of milliseconds, 1000 to 366 days' })
  @IsInt({ message: 'duration_ms must be an integer of milliseconds, 1000 to 366 days' })
  duration_ms?: number;
}

/** `open_flags`: the open flags of `room` (absent: lobby). */
export class OpenFlagsDto extends InRoom {}

/** `resolve_flag`: flag `id` with a `resolution` (trimmed, 1–500 characters). */
export class ResolveFlagDto {
  @Min(1, { message: 'id must be a flag id (positive integer)' })
  @Max(MAX_ID, { message: 'id must be a flag id (positive integer)' })
  @IsInt({ message: 'id must be a flag id (positive integer)' })
  id!: number;

  @Transform(trim)
  @Length(1, 500, { message: 'resolution must be 1–500 characters' })
  @IsChatText({
    message: 'resolution must not contain control characters other than newline and tab, or lone surrogates',
  })
  @IsString({ message: 'resolution must be a string' })
  resolution!: string;
}
