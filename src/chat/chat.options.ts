import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { ChatPrincipal } from './auth/chat-principal.js';
import type { FanoutBus } from './fanout/fanout.bus.js';
import type { MessageStore } from './history/message.store.js';
import type { MessageFilter } from './hooks/message-filter.js';
import type { ModerationStore } from './moderation/moderation.store.js';
import type { ConnectionLimiter } from './limits/connection-limiter.js';
import type { RateLimitSpec } from './limits/rate-limit-spec.js';
import type { RateLimiter } from './limits/rate-limiter.js';
import type { PresenceStore } from './presence/presence.store.js';
import type { ChatUserDirectory } from './users/chat-user.directory.js';
import type { ChatRoomPolicy } from './rooms/chat-room.policy.js';

/**
 * Maps what the Passport strategy's `validate` returned (and the upgrade request it came
 * with) to the chat's principal; null refuses the handshake with 401.
 */
export type ToPrincipal = (user: any, request: IncomingMessage) => ChatPrincipal | null;

/**
 * Everything `ChatModule.forRoot` / `forRootAsync` accepts, as the host wrote it. Checked
 * and completed with the defaults (`CHAT_DEFAULTS`) by `resolveChatOptions` at start: a bad
 * value stops the application with a message naming the option.
 */
export interface ChatModuleOptions {
  /** The registered users (recipients, conversation list). */
  userDirectory: ChatUserDirectory;
  /**
   * The forum's rooms and who may read, post in and moderate them (`ChatRoomPolicy`).
   * Default: only `lobby`, open to everyone.
   */
  roomPolicy?: ChatRoomPolicy;
  /** The WebSocket path the chat owns. Default `/ws`. */
  path?: string;
  /** Name of the Passport strategy that authenticates the WebSocket handshake. Default `forum-session`. */
  authStrategy?: string;
  /** Maps the strategy's user to a principal; default expects `{ id, nickname, sessionKey?, expiresAt? }`. */
  toPrincipal?: ToPrincipal;
  /** `sqlite:<path>` or `postgres://…`, where messages are stored (not needed when `messageStore` is given). */
  databaseUrl?: string;
  /** Cluster mode: fan-out, presence, rate limits and revocation through Redis. */
  redisUrl?: string | null;
  /** Prefix of every Redis key and channel of this chat (instances of one cluster share it). Default `forum-chat:`. */
  redisKeyPrefix?: string;
  /** Cluster mode: the users of an instance that died are reported gone within this many ms (≥ 500). Default 20000. */
  presenceTtlMs?: number;
  /** Exact origins allowed to open the chat's path; null or absent: only the request's own host. */
  allowedOrigins?: string[] | null;
  /** Largest inbound frame in bytes, 256–16777216 (larger: close 1009). Default 8192. */
  maxFrameBytes?: number;
  /** Longest message content in code points, after trimming (≥ 1). Default 2000. */
  maxContentChars?: number;
  /** Heartbeat ping period in ms (≥ 10); must be less than `pongTimeoutMs`. Default 54000. */
  pingIntervalMs?: number;
  /** A socket silent for this many ms is terminated (≥ 20, more than `pingIntervalMs`). Default 60000. */
  pongTimeoutMs?: number;
  /** Frames waiting for one socket before it is cut off with 1013 (≥ 1). Default 256. */
  sendQueueLimit?: number;
  /**
   * Bytes waiting for one socket beyond which its next frame cuts it off with 1013 (≥ 65536),
   * so a slow reader cannot hold large frames in memory. Default 4194304 (4 MiB).
   */
  sendQueueBytes?: number;
  /** Per-user rate of chat and private messages, a spec or `"5/1s,burst=10"`; null or `"off"` disables it. */
  rateLimit?: RateLimitSpec | string | null;
  /** Most sockets one user may hold at once (per instance); more are refused with 429. Default 10. */
  maxSocketsPerUser?: number;
  /** Handshakes accepted per client address (IPv4, or IPv6 /64); more are refused with 429. null or `"off"` disables. */
  handshakeRatePerIp?: RateLimitSpec | string | null;
  /** How long after sending its author may edit a message, in ms. Default 900000 (15 minutes). */
  editWindowMs?: number;
  /** The host's filter of new and edited messages (spam, profanity): accept, reject with a reason, or rewrite. */
  messageFilter?: MessageFilter | null;
  /** Presence changes are coalesced into one `presence` frame per this many ms (`presence_changes` clients). Default 200. */
  presenceTickMs?: number;
  /**
   * Clients without `presence_changes` get the full online list and one `user_joined`/`user_left`
   * per change while at most this many users are online; above it, a list cut at this many users
   * and no per-user frames (see docs/protocol.md). Default 1000.
   */
  presenceListLimit?: number;
  /** Most users one `presence` frame lists; a tick with more changes sends only the count (`overflow`). Default 100. */
  presenceChangesPerFrame?: number;
  /** Ports supplied ready-made (several instances sharing one in-process bus, a custom store). */
  fanoutBus?: FanoutBus;
  presenceStore?: PresenceStore;
  messageStore?: MessageStore;
  moderationStore?: ModerationStore;
  rateLimiter?: RateLimiter;
  connectionLimiter?: ConnectionLimiter;
}

/** The ports a host may hand over ready-made. */
type ChatPortOptions =
  'fanoutBus' | 'presenceStore' | 'messageStore' | 'moderationStore' | 'rateLimiter' | 'connectionLimiter';

/** `ChatModuleOptions` checked, with every default applied and every rate parsed. */
export type ResolvedChatOptions = Required<
  Omit<
    ChatModuleOptions,
    | 'roomPolicy'
    | ChatPortOptions
    | 'databaseUrl'
    | 'redisUrl'
    | 'allowedOrigins'
    | 'rateLimit'
    | 'handshakeRatePerIp'
    | 'messageFilter'
  >
> &
  Pick<ChatModuleOptions, ChatPortOptions> & {
    databaseUrl: string | null;
    redisUrl: string | null;
    allowedOrigins: string[] | null;
    rateLimit: RateLimitSpec | null;
    handshakeRatePerIp: RateLimitSpec | null;
    messageFilter: MessageFilter | null;
  };

export const {
  ConfigurableModuleClass: ConfigurableChatModule,
  /** Injection token of the `ChatModuleOptions` as given to `forRoot`/`forRootAsync` (unchecked). */
  MODULE_OPTIONS_TOKEN: CHAT_MODULE_OPTIONS,
  OPTIONS_TYPE: CHAT_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: CHAT_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<ChatModuleOptions>().setClassMethodName('forRoot').build();

/** Injection token of the `ResolvedChatOptions` (checked, defaults applied): what the chat's providers read. */
export const RESOLVED_CHAT_OPTIONS = Symbol('RESOLVED_CHAT_OPTIONS');
