import type { StoredMessage } from '../history/message.store.js';
import type { MessageFrame } from './frames.js';
import { timestamp } from './timestamp.js';

/** The wire form of a stored message: `chat_message` for the public room, else `private_message`. */
export function toMessageFrame(message: StoredMessage): MessageFrame {
  if (message.recipientId === null) {
    return {
      type: 'chat_message',
      id: message.id,
      content: message.content,
      user_id: message.senderId,
      nickname: message.senderNickname,
      timestamp: timestamp(message.createdAt),
    };
  }
  return {
    type: 'private_message',
    id: message.id,
    content: message.content,
    user_id: message.senderId,
    nickname: message.senderNickname,
    to: message.recipientId,
    timestamp: timestamp(message.createdAt),
  };
}
