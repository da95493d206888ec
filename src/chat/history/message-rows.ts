import { withMentions } from '../mentions/stored-mentions.js';
import { withRevision } from './message-revision.js';
import type { StoredMessage } from './message.store.js';

/** A `chat_messages` row as either driver returns it (PostgreSQL's BIGINT arrives as a string). */
export interface MessageRow {
  id: number | string;
  sender_id: number | string;
  sender_nickname: string;
  recipient_id: number | string | null;
  room: string | null;
  content: string;
  created_at: number | string;
  client_id: string | null;
  edited_at: number | string | null;
  deleted_at: number | string | null;
  mentions: string | null;
}

/** The columns of a `MessageRow`, in the order both stores select them. */
export const MESSAGE_COLUMNS =
  'id, sender_id, sender_nickname, recipient_id, room, content, created_at, client_id, edited_at, deleted_at, mentions';

/** The stored message a row holds: numbers as numbers, and its edit, deletion and mentions only when set. */
export const toMessage = (row: MessageRow): StoredMessage =>
  withMentions(
    withRevision(
      {
        id: Number(row.id),
        senderId: Number(row.sender_id),
        senderNickname: row.sender_nickname,
        recipientId: row.recipient_id === null ? null : Number(row.recipient_id),
        room: row.room,
        content: row.content,
        createdAt: Number(row.created_at),
        clientId: row.client_id,
      },
      row.edited_at,
      row.deleted_at,
    ),
    row.mentions,
  );
