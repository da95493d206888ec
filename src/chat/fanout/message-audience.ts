import type { StoredMessage } from '../history/message.store.js';
import type { FanoutEnvelope } from './fanout.bus.js';

/**
 * The envelope that carries `frame` to every socket that can see `message`: every socket
 * for a room message, the sockets of sender and recipient for a private one. A message's
 * edits and deletion go to the same audience as the message itself.
 */
export function audienceOf(message: StoredMessage, frame: string): FanoutEnvelope {
  if (message.recipientId === null) return { kind: 'everyone', frame };
  return { kind: 'users', userIds: [message.senderId, message.recipientId], frame };
}
