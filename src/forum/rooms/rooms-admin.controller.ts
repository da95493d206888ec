import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  PipeTransform,
  Put,
  Res,
  UseGuards,
  ValidationPipe,
} from '@nestjs/common';
import type { Response } from 'express';
import { LOBBY, isRoomId } from '../../chat/index.js';
import { AdminTokenGuard } from '../auth/admin-token.guard.js';
import { RoomAccessEvents } from './room-access.events.js';
import { PutRoomDto } from './room.dto.js';
import { ForumRoom, RoomStore } from './room.store.js';

/** `:id` must be a room id (`[a-z0-9][a-z0-9_-]{0,63}`): else 400. */
class RoomIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isRoomId(value)) throw new BadRequestException('room id must match [a-z0-9][a-z0-9_-]{0,63}');
    return value;
  }
}

/**
 * The stand-in forum's rooms, behind `ADMIN_TOKEN` (header `X-Admin-Token`):
 * - `PUT /api/admin/rooms/:id` `{ title, members?, moderators?, read_only? }` creates (201) or
 *   replaces (200) a room: public without `members`, else readable by its members only;
 *   read-only: only moderators post; answers the room;
 * - `DELETE /api/admin/rooms/:id` removes it (204; 404 if absent; `lobby` is refused with 409);
 * - `GET /api/admin/rooms` lists them, `GET /api/admin/rooms/:id` shows one.
 * `lobby` always exists and stays public (`members` on it: 400). Every change is announced
 * (`RoomAccessEvents`) to whatever holds sockets following the room.
 */
@Controller('api/admin/rooms')
@UseGuards(AdminTokenGuard)
export class RoomsAdminController {
  constructor(
    @Inject(RoomStore) private readonly rooms: RoomStore,
    private readonly events: RoomAccessEvents,
  ) {}

  @Get()
  async list(): Promise<{ rooms: ForumRoom[] }> {
    return { rooms: await this.rooms.list() };
  }

  @Get(':id')
  async show(@Param('id', RoomIdPipe) id: string): Promise<ForumRoom> {
    const room = await this.rooms.get(id);
    if (!room) throw new NotFoundException(`no room ${id}`);
    return room;
  }

  @Put(':id')
  async put(
    @Param('id', RoomIdPipe) id: string,
    @Body(new ValidationPipe({ whitelist: true, forbidUnknownValues: true })) dto: PutRoomDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ForumRoom> {
    if (id === LOBBY && dto.members !== undefined) throw new BadRequestException('lobby is public: no members');
    const room: ForumRoom = {
      id,
      title: dto.title,
      members: dto.members ? [...new Set(dto.members)].sort((a, b) => a - b) : null,
      moderators: [...new Set(dto.moderators ?? [])].sort((a, b) => a - b),
      readOnly: dto.read_only ?? false,
    };
    const { created } = await this.rooms.put(room);
    this.events.emit([id]);
    response.status(created ? 201 : 200);
    return room;
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id', RoomIdPipe) id: string): Promise<void> {
    if (id === LOBBY) throw new ConflictException('lobby always exists');
    if (!(await this.rooms.delete(id))) throw new NotFoundException(`no room ${id}`);
    this.events.emit([id]);
  }
}
