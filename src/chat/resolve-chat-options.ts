import { defaultToPrincipal } from './auth/chat-principal.js';
import { CHAT_DEFAULTS } from './chat-defaults.js';
import { ChatOptionsError } from './chat-options.error.js';
import { ChatModuleOptions, ResolvedChatOptions } from './chat.options.js';
import { toRateLimitSpec, validateChatOptions } from './validate-chat-options.js';

/**
 * Checks the options the importing application gave (`validateChatOptions`: a bad value
 * throws a `ChatOptionsError` naming the option, so the application does not start) and
 * applies the defaults (`CHAT_DEFAULTS`) to whatever it left out.
 */
export function resolveChatOptions(options: ChatModuleOptions): ResolvedChatOptions {
  if (options === null || typeof options !== 'object') {
    throw new ChatOptionsError('options', options, 'an object of ChatModule options');
  }
  validateChatOptions(options);
  if (options.userDirectory === undefined) {
    throw new ChatOptionsError('userDirectory', undefined, 'an object with findById(id) and list()');
  }
  if (options.databaseUrl === undefined && !(options.messageStore && options.moderationStore)) {
    throw new ChatOptionsError(
      'databaseUrl',
      undefined,
      '"sqlite:<path>" or "postgres://…" (or a messageStore and a moderationStore)',
    );
  }
  return {
    ...options,
    path: options.path ?? CHAT_DEFAULTS.path,
    authStrategy: options.authStrategy ?? CHAT_DEFAULTS.authStrategy,
    toPrincipal: options.toPrincipal ?? defaultToPrincipal,
    databaseUrl: options.databaseUrl ?? null,
    redisUrl: options.redisUrl ?? null,
    redisKeyPrefix: options.redisKeyPrefix ?? CHAT_DEFAULTS.redisKeyPrefix,
    presenceTtlMs: options.presenceTtlMs ?? CHAT_DEFAULTS.presenceTtlMs,
    allowedOrigins: options.allowedOrigins ?? null,
    maxFrameBytes: options.maxFrameBytes ?? CHAT_DEFAULTS.maxFrameBytes,
    maxContentChars: options.maxContentChars ?? CHAT_DEFAULTS.maxContentChars,
    pingIntervalMs: options.pingIntervalMs ?? CHAT_DEFAULTS.pingIntervalMs,
    pongTimeoutMs: options.pongTimeoutMs ?? CHAT_DEFAULTS.pongTimeoutMs,
    sendQueueLimit: options.sendQueueLimit ?? CHAT_DEFAULTS.sendQueueLimit,
    sendQueueBytes: options.sendQueueBytes ?? CHAT_DEFAULTS.sendQueueBytes,
    rateLimit: options.rateLimit === undefined ? { ...CHAT_DEFAULTS.rateLimit } : toRateLimitSpec(options.rateLimit),
    maxSocketsPerUser: options.maxSocketsPerUser ?? CHAT_DEFAULTS.maxSocketsPerUser,
    handshakeRatePerIp:
      options.handshakeRatePerIp === undefined
        ? { ...CHAT_DEFAULTS.handshakeRatePerIp }
        : toRateLimitSpec(options.handshakeRatePerIp),
    editWindowMs: options.editWindowMs ?? CHAT_DEFAULTS.editWindowMs,
    messageFilter: options.messageFilter ?? null,
    presenceTickMs: options.presenceTickMs ?? CHAT_DEFAULTS.presenceTickMs,
    presenceListLimit: options.presenceListLimit ?? CHAT_DEFAULTS.presenceListLimit,
    presenceChangesPerFrame: options.presenceChangesPerFrame ?? CHAT_DEFAULTS.presenceChangesPerFrame,
  };
}
