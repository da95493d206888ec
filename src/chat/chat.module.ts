import { Module } from '@nestjs/common';
import { ChatGateway } from './chat.gateway.js';
import {
  CHAT_MODULE_OPTIONS,
  RESOLVED_CHAT_OPTIONS,
  ChatModuleOptions,
  ConfigurableChatModule,
  ResolvedChatOptions,
} from './chat.options.js';
import { ChatLifecycle } from './chat-lifecycle.js';
import { ChatHealth } from './health/chat-health.js';
import { CHAT_PORTS } from './chat-ports.token.js';
import { ChatPorts, createChatPorts } from './chat-ports.js';
import { ChatService } from './chat.service.js';
import { ConversationList } from './conversations/conversation-list.js';
import { UserSearch } from './conversations/user-search.js';
import { ReadMarks } from './reads/read-marks.js';
import { MentionResolver } from './mentions/mention-resolver.js';
import { RoomList } from './reads/room-list.js';
import { MessageAdmission } from './editing/message-admission.js';
import { MessageChanges } from './editing/message-changes.js';
import { ChatEventPublisher } from './hooks/chat-event.publisher.js';
import { MessageScreen } from './hooks/message-screen.js';
import { BlockListSync } from './moderation/block-list.sync.js';
import { ModerationStore } from './moderation/moderation.store.js';
import { UserBlocks } from './moderation/user-blocks.js';
import { ChatModeration } from './moderation/chat-moderation.js';
import { MessageFlags } from './moderation/message-flags.js';
import { RoomModeration } from './moderation/room-moderation.js';
import { RoomModerators } from './moderation/room-moderators.js';
import { MuteExpiry } from './moderation/mute-expiry.js';
import { MuteNotices } from './moderation/mute-notices.js';
import { RoomMutes } from './moderation/room-mutes.js';
import { ModerationReadsCache } from './moderation/moderation-reads.cache.js';
import { FanoutBus } from './fanout/fanout.bus.js';
import { MessageStore } from './history/message.store.js';
import { ChatRateLimits } from './limits/chat-rate-limits.js';
import { ConnectionLimiter } from './limits/connection-limiter.js';
import { InMemoryConnectionLimiter } from './limits/in-memory-connection.limiter.js';
import { AccountDebts } from './limits/account-debts.js';
import { ACCOUNT_SOCKETS, RefusedFrames } from './limits/refused-frames.js';
import { RateLimiter } from './limits/rate-limiter.js';
import { OnlineRoster } from './presence/online-roster.js';
import { OnlineUsersSnapshot } from './presence/online-users.snapshot.js';
import { PresenceChangesTicker } from './presence/presence-changes.ticker.js';
import { SeedPresenceRelay } from './presence/seed-presence.relay.js';
import { PresenceService } from './presence/presence.service.js';
import { PresenceStore } from './presence/presence.store.js';
import { resolveChatOptions } from './resolve-chat-options.js';
import { ChatSessions } from './sessions/chat-sessions.js';
import { ChatExceptionFilter } from './transport/chat-exception.filter.js';
import { ChatMetricSourcesBinding } from './metrics/chat-metric-sources.js';
import { ChatMetrics } from './metrics/chat-metrics.js';
import { MeteredFanoutBus } from './metrics/metered-fanout.bus.js';
import { MeteredMessageStore } from './metrics/metered-message.store.js';
import { ConnectionLog } from './transport/connection.log.js';
import { ConnectionFactory } from './transport/connection-factory.js';
import { ConnectionRegistry } from './transport/connection.registry.js';
import { Handshake } from './transport/handshake.js';
import { Heartbeat } from './transport/heartbeat.js';
import { CHAT_USER_DIRECTORY } from './users/chat-user-directory.token.js';
import { ChatRoomPolicy } from './rooms/chat-room.policy.js';
import { LobbyOnlyRoomPolicy } from './rooms/lobby-only.room-policy.js';
import { ChatRooms } from './rooms/chat-rooms.js';
import { RoomFollowRecheck } from './rooms/room-follow-recheck.js';

/**
 * The forum's real-time chat on its own WebSocket path (`/ws` by default). Import with
 * `ChatModule.forRoot({...})` or `forRootAsync({ imports, inject, useFactory })` (options
 * are checked at start) and install `ChatWsAdapter` on the app. Exports exactly the
 * documented providers: `PresenceService` (who is online), `ChatSessions` (close the
 * sockets of ended sessions or of a user), `ChatModeration` (mutes, flags and the audit
 * log for the host's moderators), `ChatRooms` (call `accessChanged(...roomIds)` after
 * changing who may read a room), `ChatMetrics` (its Prometheus registry) and `ChatHealth`
 * (probes for the host's health endpoint).
 */
@Module({
  providers: [
    { provide: RESOLVED_CHAT_OPTIONS, useFactory: resolveChatOptions, inject: [CHAT_MODULE_OPTIONS] },
    {
      provide: CHAT_USER_DIRECTORY,
      useFactory: (options: ChatModuleOptions) => options.userDirectory,
      inject: [CHAT_MODULE_OPTIONS],
    },
    {
      provide: ChatRoomPolicy,
      useFactory: (options: ChatModuleOptions) => options.roomPolicy ?? new LobbyOnlyRoomPolicy(),
      inject: [CHAT_MODULE_OPTIONS],
    },
    {
      provide: CHAT_PORTS,
      useFactory: (options: ResolvedChatOptions) => createChatPorts(options),
      inject: [RESOLVED_CHAT_OPTIONS],
    },
    {
      provide: FanoutBus,
      useFactory: (ports: ChatPorts, metrics: ChatMetrics) => new MeteredFanoutBus(ports.bus, metrics),
      inject: [CHAT_PORTS, ChatMetrics],
    },
    { provide: PresenceStore, useFactory: (ports: ChatPorts) => ports.presence, inject: [CHAT_PORTS] },
    {
      provide: MessageStore,
      useFactory: (ports: ChatPorts, metrics: ChatMetrics) => new MeteredMessageStore(ports.messages, metrics),
      inject: [CHAT_PORTS, ChatMetrics],
    },
    { provide: ModerationStore, useFactory: (ports: ChatPorts) => ports.moderation, inject: [CHAT_PORTS] },
    ChatMetrics,
    ChatMetricSourcesBinding,
    ConnectionLog,
    { provide: RateLimiter, useFactory: (ports: ChatPorts) => ports.rateLimiter, inject: [CHAT_PORTS] },
    {
      provide: ConnectionLimiter,
      useFactory: (options: ResolvedChatOptions) =>
        options.connectionLimiter ?? new InMemoryConnectionLimiter(options.maxSocketsPerUser),
      inject: [RESOLVED_CHAT_OPTIONS],
    },
    ChatRateLimits,
    AccountDebts,
    RefusedFrames,
    { provide: ACCOUNT_SOCKETS, useExisting: ConnectionRegistry },
    ConnectionFactory,
    ConnectionRegistry,
    Handshake,
    Heartbeat,
    PresenceService,
    OnlineRoster,
    OnlineUsersSnapshot,
    MessageScreen,
    ChatEventPublisher,
    MessageAdmission,
    MessageChanges,
    ModerationReadsCache,
    UserBlocks,
    BlockListSync,
    MuteNotices,
    MuteExpiry,
    RoomMutes,
    RoomModerators,
    RoomModeration,
    MessageFlags,
    ChatRooms,
    RoomFollowRecheck,
    ChatModeration,
    PresenceChangesTicker,
    SeedPresenceRelay,
    ChatService,
    ConversationList,
    UserSearch,
    ReadMarks,
    MentionResolver,
    RoomList,
    ChatSessions,
    ChatExceptionFilter,
    ChatGateway,
    ChatLifecycle,
    ChatHealth,
  ],
  exports: [PresenceService, ChatSessions, ChatModeration, ChatRooms, ChatMetrics, ChatHealth],
})
export class ChatModule extends ConfigurableChatModule {}
