import { Injectable, OnModuleInit } from '@nestjs/common';
import { ChatSessions } from './chat/sessions/chat-sessions.js';
import { SessionEndedEvents } from './forum/sessions/session-ended.events.js';

/**
 * Glue between the stand-in forum and the chat: when the forum ends a session (logout,
 * revocation), the chat closes every socket opened with it, on every instance.
 */
@Injectable()
export class ForumChatBridge implements OnModuleInit {
  constructor(
    private readonly forumSessions: SessionEndedEvents,
    private readonly chatSessions: ChatSessions,
  ) {}

  onModuleInit(): void {
    this.forumSessions.onSessionsEnded((keys) => void this.chatSessions.end(keys).catch(() => undefined));
  }
}
