import { LOBBY } from '../rooms/room-id.js';
import type { StoredMessage } from '../history/message.store.js';
import type { FanoutEnvelope } from './fanout.bus.js';

/**
 * The envelope that carries `frame` to every socket that can see `message`: every socket
 * for a lobby message, the followers of its room for another room's, the sockets of sender
 * and recipient for a private one. A message's edits and deletion go to the same audience as
 * the message itself.
 */
export function audienceOf(message: StoredMessage, frame: string): FanoutEnvelope {
  if (message.recipientId === null) {
    const room = message.room ?? LOBBY;
    return room === LOBBY ? { kind: 'everyone', frame } : { kind: 'room', room, frame };
  }
  return { kind: 'users', userIds: [message.senderId, message.recipientId], frame };
}
