import { Module } from '@nestjs/common';
import { ChatGateway } from './chat.gateway.js';
import { CHAT_MODULE_OPTIONS, CHAT_OPTIONS, ChatModuleOptions, ConfigurableChatModule, ResolvedChatOptions } from './chat.options.js';
import { ChatLifecycle } from './chat-lifecycle.js';
import { CHAT_PORTS } from './chat-ports.token.js';
import { ChatPorts, createChatPorts } from './chat-ports.js';
import { ChatService } from './chat.service.js';
import { FanoutBus } from './fanout/fanout.bus.js';
import { MessageStore } from './history/message.store.js';
import { PresenceService } from './presence/presence.service.js';
import { PresenceStore } from './presence/presence.store.js';
import { resolveChatOptions } from './resolve-chat-options.js';
import { ChatSessions } from './sessions/chat-sessions.js';
import { ChatExceptionFilter } from './transport/chat-exception.filter.js';
import { ConnectionRegistry } from './transport/connection.registry.js';
import { Handshake } from './transport/handshake.js';
import { Heartbeat } from './transport/heartbeat.js';
import { CHAT_USER_DIRECTORY } from './users/chat-user-directory.token.js';

/**
 * The forum's real-time chat at `/ws`. Import with `ChatModule.forRoot({...})` or
 * `forRootAsync({ imports, inject, useFactory })`, and install `ChatWsAdapter` on the app.
 * Exports `PresenceService` (who is online) and `ChatSessions` (close the sockets of
 * ended sessions).
 */
@Module({
  providers: [
    { provide: CHAT_OPTIONS, useFactory: resolveChatOptions, inject: [CHAT_MODULE_OPTIONS] },
    {
      provide: CHAT_USER_DIRECTORY,
      useFactory: (options: ChatModuleOptions) => options.userDirectory,
      inject: [CHAT_MODULE_OPTIONS],
    },
    { provide: CHAT_PORTS, useFactory: (options: ResolvedChatOptions) => createChatPorts(options), inject: [CHAT_OPTIONS] },
    { provide: FanoutBus, useFactory: (ports: ChatPorts) => ports.bus, inject: [CHAT_PORTS] },
    { provide: PresenceStore, useFactory: (ports: ChatPorts) => ports.presence, inject: [CHAT_PORTS] },
    { provide: MessageStore, useFactory: (ports: ChatPorts) => ports.messages, inject: [CHAT_PORTS] },
    ConnectionRegistry,
    Handshake,
    Heartbeat,
    PresenceService,
    ChatService,
    ChatSessions,
    ChatExceptionFilter,
    ChatGateway,
    ChatLifecycle,
  ],
  exports: [PresenceService, ChatSessions, ConnectionRegistry, Handshake, MessageStore, CHAT_OPTIONS],
})
export class ChatModule extends ConfigurableChatModule {}
