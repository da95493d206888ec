import { defaultToPrincipal } from './auth/chat-principal.js';
import { ChatModuleOptions, ResolvedChatOptions } from './chat.options.js';
import { DEFAULT_PRESENCE_TTL_MS } from './presence/presence-timings.js';
import { DEFAULT_HANDSHAKE_RATE_PER_IP, DEFAULT_MAX_SOCKETS_PER_USER } from './limits/connection-defaults.js';

/** Applies the contract's defaults to whatever the importing application left out. */
export function resolveChatOptions(options: ChatModuleOptions): ResolvedChatOptions {
  return {
    ...options,
    authStrategy: options.authStrategy ?? 'forum-session',
    toPrincipal: options.toPrincipal ?? defaultToPrincipal,
    redisUrl: options.redisUrl ?? null,
    redisKeyPrefix: options.redisKeyPrefix ?? 'forum-chat:',
    presenceTtlMs: options.presenceTtlMs ?? DEFAULT_PRESENCE_TTL_MS,
    allowedOrigins: options.allowedOrigins ?? null,
    maxFrameBytes: options.maxFrameBytes ?? 8192,
    maxContentChars: options.maxContentChars ?? 2000,
    pingIntervalMs: options.pingIntervalMs ?? 54_000,
    pongTimeoutMs: options.pongTimeoutMs ?? 60_000,
    sendQueueLimit: options.sendQueueLimit ?? 256,
    rateLimit: options.rateLimit === undefined ? { rate: 5, perMs: 1000, burst: 10 } : options.rateLimit,
    maxSocketsPerUser: options.maxSocketsPerUser ?? DEFAULT_MAX_SOCKETS_PER_USER,
    handshakeRatePerIp:
      options.handshakeRatePerIp === undefined ? DEFAULT_HANDSHAKE_RATE_PER_IP : options.handshakeRatePerIp,
  };
}
