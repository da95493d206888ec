import { Injectable } from '@nestjs/common';
import type { ChatParticipant } from '../chat-participant.js';
import { MessageScreen } from '../hooks/message-screen.js';
import { ChatRateLimits } from '../limits/chat-rate-limits.js';
import { RoomMutes } from '../moderation/room-mutes.js';
import { ChatRooms } from '../rooms/chat-rooms.js';
import { LOBBY } from '../rooms/room-id.js';

/**
 * The one preamble every new content passes — a message sent or an edit — before the host's
 * filter and the store see it, in this order: its length (`invalid_message`); for a room, the
 * post right in any room but lobby (`not_found` / `forbidden`) and the sender's mute there
 * (`forbidden` with the time left); then one token of the sender's message bucket
 * (`rate_limited`). A refusal has no effect and costs no token.
 */
@Injectable()
export class MessageAdmission {
  constructor(
    private readonly screen: MessageScreen,
    private readonly rooms: ChatRooms,
    private readonly mutes: RoomMutes,
    private readonly limits: ChatRateLimits,
  ) {}

  /** Admits `content` from `participant` to `room` (null: a private conversation), or throws the refusal. */
  async admit(participant: ChatParticipant, content: string, room: string | null): Promise<void> {
    this.screen.checkLength(content);
    if (room !== null) {
      if (room !== LOBBY) await this.rooms.postable(participant, room);
      await this.mutes.refuseIfMuted(participant, room);
    }
    await this.limits.charge('message', participant.user.id);
  }
}
