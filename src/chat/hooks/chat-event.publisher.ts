import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { StoredMessage } from '../history/message.store.js';
import { LOBBY } from '../rooms/room-id.js';
import { ChatEvents, type ChatEventMap, type ChatEventMessage } from './chat-events.js';

/**
 * Hands the chat's events to the host's `EventEmitter2` (from `EventEmitterModule.forRoot()`),
 * if the host has one; without it, emitting does nothing. Never throws and never waits for
 * a listener: a listener's failure is logged, and the chat goes on.
 */
@Injectable()
export class ChatEventPublisher {
  private readonly logger = new Logger(ChatEventPublisher.name);

  constructor(@Optional() @Inject(EventEmitter2) private readonly emitter: EventEmitter2 | null = null) {}

  /** Whether a host listens at all (lets callers skip building payloads). */
  get active(): boolean {
    return this.emitter !== null;
  }

  /**
   * A new message was stored: `chat.message.created`, then one `chat.mention` per user the
   * stored message mentions (its `mentions`: users who can read it, never the sender), each
   * carrying the same message. Called once per stored message (a retried `client_id` is not
   * a new message), by the instance that stored it: once in the whole cluster.
   */
  messageCreated(message: StoredMessage): void {
    if (!this.emitter) return;
    const event = toEventMessage(message);
    this.emit(ChatEvents.MessageCreated, { message: event });
    for (const mentionedUserId of message.mentions ?? [])
      this.emit(ChatEvents.Mention, { message: event, mentionedUserId });
  }

  /**
   * A stored message was edited: `chat.message.edited` (with its `previousContent`), then one
   * `chat.mention` per user in `newMentions` (mentioned by this edit for the first time), as for
   * a new message. Called once per edit, by the instance that stored it.
   */
  messageEdited(message: StoredMessage, previousContent: string, newMentions: readonly number[]): void {
    if (!this.emitter) return;
    const event = toEventMessage(message);
    this.emit(ChatEvents.MessageEdited, { message: event, previousContent });
    for (const mentionedUserId of newMentions) this.emit(ChatEvents.Mention, { message: event, mentionedUserId });
  }

  emit<K extends keyof ChatEventMap>(name: K, payload: ChatEventMap[K]): void {
    if (!this.emitter) return;
    try {
      const result = this.emitter.emitAsync(name, payload);
      result.catch((error: Error) => this.logger.warn(`a listener of ${name} failed: ${error?.message ?? error}`));
    } catch (error) {
      this.logger.warn(`a listener of ${name} failed: ${(error as Error)?.message ?? error}`);
    }
  }
}

/** The room of a room message (`lobby` when it names none), null for a private one. */
function roomOf(message: StoredMessage): string | null {
  return message.recipientId === null ? (message.room ?? LOBBY) : null;
}

/** A stored message as the events carry it. */
export function toEventMessage(message: StoredMessage): ChatEventMessage {
  const event: ChatEventMessage = {
    id: message.id,
    senderId: message.senderId,
    senderNickname: message.senderNickname,
    recipientId: message.recipientId,
    room: roomOf(message),
    content: message.content,
    createdAt: message.createdAt,
  };
  if (message.editedAt !== undefined) event.editedAt = message.editedAt;
  return event;
}
