import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

/**
 * Body of `PUT /api/admin/rooms/:id`: `title` (1–100 characters), `members` (user ids: the
 * room is readable by them only; absent: a public room), `moderators` (user ids; default none),
 * `read_only` (only moderators post; default false).
 */
export class PutRoomDto {
  @IsString()
  @Length(1, 100, { message: 'title must be 1–100 characters' })
  title!: string;

  @IsOptional()
  @IsArray({ message: 'members must be an array of user ids' })
  @ArrayMaxSize(100_000)
  @IsInt({ each: true, message: 'members must be user ids' })
  @Min(1, { each: true, message: 'members must be user ids' })
  @Max(Number.MAX_SAFE_INTEGER, { each: true, message: 'members must be user ids' })
  members?: number[];

  @IsOptional()
  @IsArray({ message: 'moderators must be an array of user ids' })
  @ArrayMaxSize(1_000)
  @IsInt({ each: true, message: 'moderators must be user ids' })
  @Min(1, { each: true, message: 'moderators must be user ids' })
  @Max(Number.MAX_SAFE_INTEGER, { each: true, message: 'moderators must be user ids' })
  moderators?: number[];

  @IsOptional()
  @IsBoolean({ message: 'read_only must be a boolean' })
  read_only?: boolean;
}
