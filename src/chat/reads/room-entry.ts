import type { ChatRoomAccess } from '../rooms/chat-room.policy.js';
import { unreadCounts } from '../conversations/conversation-entry.js';
import type { ReadFrame, RoomEntry } from '../protocol/frames.js';
import { timestamp } from '../protocol/timestamp.js';
import type { RoomReadState } from './room-read-index.js';

/** The wire form of one room the caller can read. */
export function toRoomEntry(access: ChatRoomAccess, state: RoomReadState): RoomEntry {
  return {
    id: access.room.id,
    title: access.room.title,
    post: access.post,
    moderate: access.moderate,
    last_message_at: state.lastMessageAt === null ? null : timestamp(state.lastMessageAt),
    last_message_id: state.lastMessageId,
    read_id: state.readId,
    ...unreadCounts(state),
  };
}

/** The `read` frame of one room of the caller. */
export function toRoomReadFrame(state: RoomReadState): ReadFrame {
  return {
    type: 'read',
    room: state.room,
    id: state.readId,
    ...unreadCounts(state),
  };
}
