import { Inject, Injectable } from '@nestjs/common';
import type { ChatParticipant } from '../chat-participant.js';
import { ChatError } from '../chat.errors.js';
import type { StoredMessage } from '../history/message.store.js';
import { ChatRoomPolicy } from '../rooms/chat-room.policy.js';
import { LOBBY } from '../rooms/room-id.js';

/** The room a room message belongs to (`lobby` for one stored before messages named their room). */
export function roomOfMessage(message: StoredMessage): string {
  return message.room ?? LOBBY;
}

/**
 * Who moderates which room, as the forum's `ChatRoomPolicy` answers it at the moment of
 * the action (`access(user, room).moderate`); the chat keeps no copy. Guarantees: a user the
 * policy does not name a moderator of the room is refused with `forbidden`, whether or not
 * they may read the room, and nothing has been done when the refusal is thrown.
 */
@Injectable()
export class RoomModerators {
  constructor(@Inject(ChatRoomPolicy) private readonly policy: ChatRoomPolicy) {}

  /** Whether `userId` moderates `room` right now. */
  async moderates(userId: number, room: string): Promise<boolean> {
    return (await this.policy.access(userId, room))?.moderate === true;
  }

  /** Refuses with `forbidden` unless the participant moderates `room`; `what` names the action refused. */
  async require(participant: ChatParticipant, room: string, what: string): Promise<void> {
    if (!(await this.moderates(participant.user.id, room)))
      throw new ChatError('forbidden', `only a moderator of ${room} may ${what}`);
  }
}
