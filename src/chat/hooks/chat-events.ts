/**
 * The events forum-chat emits for its host, by name, with their payloads. A host that
 * imports `EventEmitterModule.forRoot()` (`@nestjs/event-emitter`) receives them with
 * `@OnEvent(ChatEvents.MessageCreated)` and the like. Each event is emitted once in the
 * whole cluster, by the instance that performed the action, after it was stored.
 */
export const ChatEvents = {
  MessageCreated: 'chat.message.created',
  MessageEdited: 'chat.message.edited',
  MessageDeleted: 'chat.message.deleted',
  Mention: 'chat.mention',
  Flag: 'chat.flag',
  Mute: 'chat.mute',
} as const;

/**
 * A message as the events carry it. `recipientId` is null for a room message, `room` null for
 * a private one. Times are epoch ms.
 */
export interface ChatEventMessage {
  id: number;
  senderId: number;
  senderNickname: string;
  recipientId: number | null;
  /** The room of a room message (`lobby` for one that names none); null for a private message. */
  room: string | null;
  content: string;
  createdAt: number;
  editedAt?: number;
}

/** `chat.message.created`: a new message was stored (after the host's filter, if any). */
export interface ChatMessageCreatedEvent {
  message: ChatEventMessage;
}

/** `chat.message.edited`: its author changed a message's content. */
export interface ChatMessageEditedEvent {
  message: ChatEventMessage;
  /** The content before the edit. */
  previousContent: string;
}

/** `chat.message.deleted`: a message was deleted, by its author or by a moderator. */
export interface ChatMessageDeletedEvent {
  messageId: number;
  senderId: number;
  recipientId: number | null;
  /** The room of a room message; null for a private message. */
  room: string | null;
  /** Who deleted it: its author, a moderator of its room, or 0 for the administration. */
  deletedBy: number;
  deletedAt: number;
}

/**
 * `chat.mention`: a new stored message mentions `mentionedUserId` (`@nickname` of a user who
 * can read it, never its sender): one event per mentioned user, right after the message's
 * `chat.message.created`, once in the cluster; and an edit that mentions a user the message
 * did not mention before: one event per such user, right after its `chat.message.edited`.
 */
export interface ChatMentionEvent {
  message: ChatEventMessage;
  mentionedUserId: number;
}

/** `chat.flag`: a user flagged a message, or a moderator resolved a flag. */
export interface ChatFlagEvent {
  action: 'opened' | 'resolved';
  flagId: number;
  messageId: number;
  room: string;
  reason: string;
  /** Who flagged (`opened`) or resolved (`resolved`). */
  userId: number;
  resolution?: string;
}

/** `chat.mute`: a moderator muted a user in a room, or lifted a mute. */
export interface ChatMuteEvent {
  action: 'muted' | 'unmuted';
  room: string;
  userId: number;
  moderatorId: number;
  /** End of the mute in epoch ms; null until lifted. */
  until?: number | null;
}

/** Every event name with its payload type. */
export interface ChatEventMap {
  [ChatEvents.MessageCreated]: ChatMessageCreatedEvent;
  [ChatEvents.MessageEdited]: ChatMessageEditedEvent;
  [ChatEvents.MessageDeleted]: ChatMessageDeletedEvent;
  [ChatEvents.Mention]: ChatMentionEvent;
  [ChatEvents.Flag]: ChatFlagEvent;
  [ChatEvents.Mute]: ChatMuteEvent;
}
