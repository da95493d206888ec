import { IsOptional, IsString, Length } from 'class-validator';
import { IsChatText } from './chat-text.js';
import { IsFlagId, IsIntegerIn, IsRoomId, IsUserId, Trimmed } from './field-rules.js';

/** Shortest and longest timed mute (the same bounds as the admin API's). */
export const MUTE_MIN_MS = 1_000;
export const MUTE_MAX_MS = 366 * 86_400_000;

/** A frame that names a room, lobby when absent. */
class InRoom {
  @IsOptional()
  @IsRoomId()
  room?: string;
}

/** `unmute`: `user_id` in `room` (absent: lobby). */
export class UnmuteDto extends InRoom {
  @IsUserId()
  user_id!: number;
}

/** `mute`: `user_id` in `room` (absent: lobby) for `duration_ms` (1 s to 366 days; absent: until lifted). */
export class MuteDto extends UnmuteDto {
  @IsOptional()
  @IsIntegerIn(MUTE_MIN_MS, MUTE_MAX_MS, 'duration_ms must be an integer of milliseconds, 1000 to 366 days')
  duration_ms?: number;
}

/** `open_flags`: the open flags of `room` (absent: lobby). */
export class OpenFlagsDto extends InRoom {}

/** `resolve_flag`: flag `id` with a `resolution` (trimmed, 1–500 characters). */
export class ResolveFlagDto {
  @IsFlagId()
  id!: number;

  @Trimmed()
  @Length(1, 500, { message: 'resolution must be 1–500 characters' })
  @IsChatText({
    message: 'resolution must not contain control characters other than newline and tab, or lone surrogates',
  })
  @IsString({ message: 'resolution must be a string' })
  resolution!: string;
}
