import { Inject, Injectable } from '@nestjs/common';
import type { ChatRoomAccess, ChatRoomPolicy } from '../../chat/index.js';
import { RoomStanding, RoomStore } from './room.store.js';

/** The user's rights from their standing: public rooms and members read (and post, unless read-only); moderators do all three. */
function accessOf(standing: RoomStanding): ChatRoomAccess | null {
  const reads = standing.public || standing.member || standing.moderator;
  if (!reads) return null;
  return {
    room: { id: standing.id, title: standing.title },
    post: !standing.readOnly || standing.moderator,
    moderate: standing.moderator,
  };
}

/**
 * The stand-in forum's answer to the chat's `ChatRoomPolicy`, read from its own rooms
 * tables at every call (no copy, so a change holds as soon as the admin call returned).
 */
@Injectable()
export class ForumRoomPolicy implements ChatRoomPolicy {
  constructor(@Inject(RoomStore) private readonly rooms: RoomStore) {}

  async access(userId: number, roomId: string): Promise<ChatRoomAccess | null> {
    const standing = await this.rooms.standingIn(userId, roomId);
    return standing ? accessOf(standing) : null;
  }

  async roomsFor(userId: number): Promise<ChatRoomAccess[]> {
    const standings = await this.rooms.standingsOf(userId);
    return standings.map(accessOf).filter((access): access is ChatRoomAccess => access !== null);
  }
}
