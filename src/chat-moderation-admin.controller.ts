import {
  BadRequestException,
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseIntPipe,
  Post,
  Put,
  Query,
  UseGuards,
  ValidationPipe,
} from '@nestjs/common';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { ChatModeration } from './chat/moderation/chat-moderation.js';
import type { AuditEntry, Flag, Mute } from './chat/moderation/moderation.store.js';
import { AdminTokenGuard } from './forum/auth/admin-token.guard.js';

const ROOM_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const userIdPipe = new ParseIntPipe({ errorHttpStatusCode: 400 });
const body = new ValidationPipe({ whitelist: true, forbidUnknownValues: false });

/** Body of `PUT /api/admin/chat/mutes/:room/:userId`: `duration_ms` (absent: until lifted). */
class MuteBody {
  @IsOptional()
  @IsInt({ message: 'duration_ms must be an integer of milliseconds' })
  @Min(1000, { message: 'duration_ms must be at least 1000' })
  @Max(366 * 86_400_000, { message: 'duration_ms must be at most a year' })
  duration_ms?: number;
}

/** Body of `POST /api/admin/chat/flags/:id/resolve`: `resolution`, 1–500 characters. */
class ResolveBody {
  @IsString({ message: 'resolution must be a string' })
  @Length(1, 500, { message: 'resolution must be 1–500 characters' })
  resolution!: string;
}

function roomOf(room: string): string {
  if (!ROOM_ID.test(room)) throw new BadRequestException('room must match [a-z0-9][a-z0-9_-]{0,63}');
  return room;
}

const muteJson = (mute: Mute) => ({
  room: mute.room,
  user_id: mute.userId,
  until: mute.until === null ? null : new Date(mute.until).toISOString(),
  muted_by: mute.mutedBy,
  created_at: new Date(mute.createdAt).toISOString(),
});

/** A flag as the admin API shows it: the flagger is included (this API is the forum's staff only). */
const flagJson = (flag: Flag) => ({
  id: flag.id,
  message_id: flag.messageId,
  room: flag.room,
  flagger_id: flag.flaggerId,
  reason: flag.reason,
  created_at: new Date(flag.createdAt).toISOString(),
  resolution: flag.resolution,
});

const auditJson = (entry: AuditEntry) => ({
  id: entry.id,
  actor_id: entry.actorId,
  action: entry.action,
  room: entry.room,
  target_user_id: entry.targetUserId,
  message_id: entry.messageId,
  flag_id: entry.flagId,
  detail: entry.detail,
  at: new Date(entry.createdAt).toISOString(),
});

/**
 * The chat's moderation in the standalone server, behind `ADMIN_TOKEN` (`X-Admin-Token`):
 * - `GET /api/admin/chat/mutes`: active mutes; `PUT …/mutes/:room/:userId` `{ duration_ms? }`
 *   mutes (200, the mute); `DELETE …/mutes/:room/:userId` lifts (204; 404 if none);
 * - `GET /api/admin/chat/flags?room=` open flags of a room (default `lobby`);
 *   `POST …/flags/:id/resolve` `{ resolution }` (200; 404 if no open flag);
 * - `DELETE /api/admin/chat/messages/:id` deletes any message (204, also when it was already
 *   deleted; 404 if there is none);
 * - `GET /api/admin/chat/audit?before=&limit=` the audit log, newest first (limit 1–200, default 50).
 */
@Controller('api/admin/chat')
@UseGuards(AdminTokenGuard)
export class ChatModerationAdminController {
  constructor(private readonly moderation: ChatModeration) {}

  @Get('mutes')
  async mutes() {
    return { mutes: (await this.moderation.activeMutes()).map(muteJson) };
  }

  @Put('mutes/:room/:userId')
  async mute(@Param('room') room: string, @Param('userId', userIdPipe) userId: number, @Body(body) dto: MuteBody) {
    return muteJson(await this.moderation.mute(roomOf(room), userId, dto.duration_ms));
  }

  @Delete('mutes/:room/:userId')
  @HttpCode(204)
  async lift(@Param('room') room: string, @Param('userId', userIdPipe) userId: number): Promise<void> {
    if (!(await this.moderation.liftMute(roomOf(room), userId))) throw new NotFoundException('no active mute');
  }

  @Get('flags')
  async flags(@Query('room') room = 'lobby') {
    return { flags: (await this.moderation.openFlags(roomOf(room))).map(flagJson) };
  }

  @Post('flags/:id/resolve')
  @HttpCode(200)
  async resolve(@Param('id', userIdPipe) id: number, @Body(body) dto: ResolveBody) {
    const flag = await this.moderation.resolveFlag(id, dto.resolution);
    if (!flag) throw new NotFoundException('no open flag with that id');
    return flagJson(flag);
  }

  @Delete('messages/:id')
  @HttpCode(204)
  async deleteMessage(@Param('id', userIdPipe) id: number): Promise<void> {
    if (!(await this.moderation.deleteMessage(id))) throw new NotFoundException('no message with that id');
  }

  @Get('audit')
  async audit(@Query('before') before?: string, @Query('limit') limit?: string) {
    const beforeId = before === undefined ? undefined : Number(before);
    const size = limit === undefined ? 50 : Number(limit);
    if (beforeId !== undefined && !(Number.isSafeInteger(beforeId) && beforeId > 0))
      throw new BadRequestException('before must be an audit entry id');
    if (!(Number.isInteger(size) && size >= 1 && size <= 200)) throw new BadRequestException('limit must be 1–200');
    return { entries: (await this.moderation.auditLog({ beforeId, limit: size })).map(auditJson) };
  }
}
