import { Inject, Injectable } from '@nestjs/common';
import type { ChatParticipant } from '../chat-participant.js';
import { MessageStore } from '../history/message.store.js';
import { ChatRateLimits } from '../limits/chat-rate-limits.js';
import type { RoomsFrame } from '../protocol/frames.js';
import { ChatRoomPolicy } from '../rooms/chat-room.policy.js';
import { LOBBY } from '../rooms/room-id.js';
import { toRoomEntry } from './room-entry.js';

/**
 * `rooms`: every room the caller can read, as the forum's `ChatRoomPolicy` lists them at this
 * moment (the chat keeps no copy), lobby first, then by title; each with the caller's rights,
 * the room's last message time and the caller's bounded unread count.
 */
@Injectable()
export class RoomList {
  constructor(
    @Inject(MessageStore) private readonly store: MessageStore,
    @Inject(ChatRoomPolicy) private readonly policy: ChatRoomPolicy,
    private readonly limits: ChatRateLimits,
  ) {}

  async list(participant: ChatParticipant): Promise<RoomsFrame> {
    const userId = participant.user.id;
    await this.limits.charge('rooms', userId);
    const accesses = (await this.policy.roomsFor(userId)).sort((a, b) =>
      a.room.id === LOBBY ? -1 : b.room.id === LOBBY ? 1 : a.room.title.localeCompare(b.room.title),
    );
    const states = await this.store.roomReadStates({ userId, rooms: accesses.map((access) => access.room.id) });
    return { type: 'rooms', rooms: accesses.map((access, i) => toRoomEntry(access, states[i])) };
  }
}
