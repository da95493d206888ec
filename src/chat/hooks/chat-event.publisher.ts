import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import type { StoredMessage } from '../history/message.store.js';
import { LOBBY } from '../rooms/room-id.js';
import type { ChatEventMap, ChatEventMessage } from './chat-events.js';

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
