import type { MessagePage, StoredMessage } from '../history/message.store.js';
import type { HistoryFrame, MessageDeletedFrame, MessageEditedFrame, MessageFrame } from './frames.js';
import { LOBBY } from '../rooms/room-id.js';
import { timestamp } from './timestamp.js';

/**
 * `{ room }` for a room other than lobby, else nothing: spread right after `type`, so a lobby
 * frame is byte for byte the seed protocol's and every other room's frame names its room.
 */
export function roomField(room: string | null | undefined): { room?: string } {
  return room == null || room === LOBBY ? {} : { room };
}

/**
 * The wire form of a stored message: `chat_message` for a room message (with `room` unless it
 * is lobby's), else `private_message`; `edited_at` only when it was edited.
 */
export function toMessageFrame(message: StoredMessage): MessageFrame {
  const frame: MessageFrame =
    message.recipientId === null
      ? {
          type: 'chat_message',
          ...roomField(message.room),
          id: message.id,
          content: message.content,
          user_id: message.senderId,
          nickname: message.senderNickname,
          timestamp: timestamp(message.createdAt),
        }
      : {
          type: 'private_message',
          id: message.id,
          content: message.content,
          user_id: message.senderId,
          nickname: message.senderNickname,
          to: message.recipientId,
          timestamp: timestamp(message.createdAt),
        };
  if (message.editedAt !== undefined) frame.edited_at = timestamp(message.editedAt);
  if (message.mentions && message.mentions.length > 0) frame.mentions = [...message.mentions];
  return frame;
}

/**
 * `JSON.stringify(toMessageFrame(message))`, byte for byte, written out directly: the text
 * every socket of the message's audience gets, built once per message without the frame
 * object.
 */
export function messageFrameJson(message: StoredMessage): string {
  const head =
    message.recipientId === null
      ? `{"type":"chat_message",${message.room == null || message.room === LOBBY ? '' : `"room":${JSON.stringify(message.room)},`}`
      : '{"type":"private_message",';
  let json = `${head}"id":${message.id},"content":${JSON.stringify(message.content)},"user_id":${message.senderId},"nickname":${JSON.stringify(message.senderNickname)},`;
  if (message.recipientId !== null) json += `"to":${message.recipientId},`;
  json += `"timestamp":"${timestamp(message.createdAt)}"`;
  if (message.editedAt !== undefined) json += `,"edited_at":"${timestamp(message.editedAt)}"`;
  if (message.mentions && message.mentions.length > 0) json += `,"mentions":[${message.mentions.join(',')}]`;
  return `${json}}`;
}

/** `message_edited` for an edited message, naming `newMentions`, the users the edit mentions for the first time. */
export function toEditedFrame(message: StoredMessage, newMentions: readonly number[] = []): MessageEditedFrame {
  const frame: MessageEditedFrame = {
    type: 'message_edited',
    id: message.id,
    user_id: message.senderId,
    content: message.content,
    edited_at: timestamp(message.editedAt ?? message.createdAt),
  };
  if (message.mentions && message.mentions.length > 0) frame.mentions = [...message.mentions];
  if (newMentions.length > 0) frame.new_mentions = [...newMentions];
  return frame;
}

/** `message_deleted`, the tombstone of a deleted message. */
export function toDeletedFrame(message: StoredMessage): MessageDeletedFrame {
  return { type: 'message_deleted', id: message.id, deleted_at: timestamp(message.deletedAt ?? message.createdAt) };
}

/** A message as shown to a viewer who blocks the users in `blocked`: a room message of theirs is flagged. */
export function toViewerFrame(message: StoredMessage, blocked: ReadonlySet<number>): MessageFrame {
  const frame = toMessageFrame(message);
  if (frame.type === 'chat_message' && blocked.has(message.senderId)) frame.blocked = true;
  return frame;
}

/** What `resume` sends for a message: its tombstone when deleted, else the message as the viewer sees it. */
export function replayFrameOf(
  message: StoredMessage,
  blocked: ReadonlySet<number>,
): MessageFrame | MessageDeletedFrame {
  return message.deletedAt !== undefined ? toDeletedFrame(message) : toViewerFrame(message, blocked);
}

/** A `history` page: the messages, and the ids of the deleted ones (`deleted`) only when there are any. */
export function historyFrameOf(
  withUserId: number | null,
  page: MessagePage,
  blocked: ReadonlySet<number>,
  room: string = LOBBY,
): HistoryFrame {
  const messages: MessageFrame[] = [];
  const deleted: number[] = [];
  for (const message of page.messages) {
    if (message.deletedAt !== undefined) deleted.push(message.id);
    else messages.push(toViewerFrame(message, blocked));
  }
  const frame: HistoryFrame = {
    type: 'history',
    ...roomField(room),
    with: withUserId,
    messages,
    has_more: page.hasMore,
  };
  if (deleted.length > 0) frame.deleted = deleted;
  return frame;
}
