import { defaultToPrincipal } from './auth/chat-principal.js';
import { ChatModuleOptions, ResolvedChatOptions } from './chat.options.js';
import { CHAT_DEFAULTS } from './chat-defaults.js';

/** Applies the contract's defaults to whatever the importing application left out. */
export function resolveChatOptions(options: ChatModuleOptions): ResolvedChatOptions {
  return {
    ...options,
    authStrategy: options.authStrategy ?? CHAT_DEFAULTS.authStrategy,
    toPrincipal: options.toPrincipal ?? defaultToPrincipal,
    redisUrl: options.redisUrl ?? null,
    redisKeyPrefix: options.redisKeyPrefix ?? CHAT_DEFAULTS.redisKeyPrefix,
    presenceTtlMs: options.presenceTtlMs ?? CHAT_DEFAULTS.presenceTtlMs,
    allowedOrigins: options.allowedOrigins ?? null,
    maxFrameBytes: options.maxFrameBytes ?? CHAT_DEFAULTS.maxFrameBytes,
    maxContentChars: options.maxContentChars ?? CHAT_DEFAULTS.maxContentChars,
    pingIntervalMs: options.pingIntervalMs ?? CHAT_DEFAULTS.pingIntervalMs,
    pongTimeoutMs: options.pongTimeoutMs ?? CHAT_DEFAULTS.pongTimeoutMs,
    sendQueueLimit: options.sendQueueLimit ?? CHAT_DEFAULTS.sendQueueLimit,
    rateLimit: options.rateLimit === undefined ? { ...CHAT_DEFAULTS.rateLimit } : options.rateLimit,
    maxSocketsPerUser: options.maxSocketsPerUser ?? CHAT_DEFAULTS.maxSocketsPerUser,
    handshakeRatePerIp:
      options.handshakeRatePerIp === undefined ? { ...CHAT_DEFAULTS.handshakeRatePerIp } : options.handshakeRatePerIp,
    editWindowMs: options.editWindowMs ?? CHAT_DEFAULTS.editWindowMs,
    messageFilter: options.messageFilter ?? null,
    presenceTickMs: options.presenceTickMs ?? CHAT_DEFAULTS.presenceTickMs,
    presenceListLimit: options.presenceListLimit ?? CHAT_DEFAULTS.presenceListLimit,
    presenceChangesPerFrame: options.presenceChangesPerFrame ?? CHAT_DEFAULTS.presenceChangesPerFrame,
  };
}
