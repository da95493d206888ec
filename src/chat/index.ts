/** The public surface of forum-chat for applications that import it. */
export { ChatModule } from './chat.module.js';
export type { ChatModuleOptions, ToPrincipal } from './chat.options.js';
export { CHAT_DEFAULTS } from './chat-defaults.js';
export { ChatOptionsError } from './chat-options.error.js';
export { validateChatOptions, type OptionNamer } from './validate-chat-options.js';
export { parseRateLimit, type RateLimitSpec } from './limits/rate-limit-spec.js';
export { ChatWsAdapter } from './transport/chat-ws.adapter.js';
export { PresenceService } from './presence/presence.service.js';
export { ChatSessions } from './sessions/chat-sessions.js';
export { ChatRoomPolicy } from './rooms/chat-room.policy.js';
export type { ChatRoom, ChatRoomAccess } from './rooms/chat-room.policy.js';
export { LobbyOnlyRoomPolicy } from './rooms/lobby-only.room-policy.js';
export { ChatRooms, MAX_FOLLOWED_ROOMS } from './rooms/chat-rooms.js';
export { LOBBY, ROOM_ID_PATTERN, isRoomId } from './rooms/room-id.js';
export type { ChatUserDirectory } from './users/chat-user.directory.js';
export type { ChatPrincipal } from './auth/chat-principal.js';
export { bearerTokenExpiry, jwtExpiry } from './auth/bearer-token-expiry.js';
export { FanoutBus } from './fanout/fanout.bus.js';
export type { FanoutEnvelope, FanoutHandler } from './fanout/fanout.bus.js';
export { InMemoryFanoutBus } from './fanout/in-memory-fanout.bus.js';
export { PresenceStore } from './presence/presence.store.js';
export { InMemoryPresenceStore } from './presence/in-memory-presence.store.js';
export { MessageStore } from './history/message.store.js';
export type { StoredMessage, NewMessage, MessagePage } from './history/message.store.js';
export { CloseCode } from './protocol/close-codes.js';
export { ChatMetrics } from './metrics/chat-metrics.js';
export { ChatHealth, DATABASE_PING_TIMEOUT_MS, type ChatHealthProbe } from './health/chat-health.js';
export { MetricsController } from './metrics/metrics.controller.js';
export type * from './protocol/frames.js';
export { RateLimiter } from './limits/rate-limiter.js';
export type { RateDecision } from './limits/rate-limiter.js';
export { InMemoryRateLimiter } from './limits/in-memory-rate.limiter.js';
export { createRateLimiter } from './limits/create-rate-limiter.js';
export { clientAddressKey } from './limits/client-address.js';
export { isOriginAllowed } from './transport/origin-policy.js';
export { ConnectionLimiter } from './limits/connection-limiter.js';
export type { ConnectionLease } from './limits/connection-limiter.js';
export { InMemoryConnectionLimiter } from './limits/in-memory-connection.limiter.js';
export { ChatEvents } from './hooks/chat-events.js';
export { ChatModeration, ADMIN_ACTOR_ID } from './moderation/chat-moderation.js';
export { ModerationStore } from './moderation/moderation.store.js';
export type { AuditEntry, AuditAction, Flag, Mute } from './moderation/moderation.store.js';
export type {
  ChatEventMap,
  ChatEventMessage,
  ChatFlagEvent,
  ChatMentionEvent,
  ChatMessageCreatedEvent,
  ChatMessageDeletedEvent,
  ChatMessageEditedEvent,
  ChatMuteEvent,
} from './hooks/chat-events.js';
export type { FilteredMessage, MessageFilter, MessageFilterVerdict } from './hooks/message-filter.js';
