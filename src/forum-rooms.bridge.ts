import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ChatRooms } from './chat/index.js';
import { RoomAccessEvents } from './forum/rooms/room-access.events.js';

/**
 * Glue between the stand-in forum's rooms and the chat: whenever the forum's admin API
 * creates, changes or deletes a room, the chat re-checks, on every instance, the sockets that
 * follow it (`ChatRooms.accessChanged`), so a member removed from a room stops receiving it
 * within a second.
 */
@Injectable()
export class ForumRoomsBridge implements OnModuleInit {
  private readonly logger = new Logger(ForumRoomsBridge.name);

  constructor(
    private readonly roomEvents: RoomAccessEvents,
    private readonly chatRooms: ChatRooms,
  ) {}

  onModuleInit(): void {
    this.roomEvents.onAccessChanged((roomIds) => {
      this.chatRooms
        .accessChanged(...roomIds)
        .catch((error: Error) => this.logger.warn(`room access change not announced: ${error.message}`));
    });
  }
}
