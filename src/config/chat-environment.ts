import { CHAT_DEFAULTS, ChatOptionsError, validateChatOptions, type ChatModuleOptions } from '../chat/index.js';
import { ConfigError } from './config-error.js';

/**
 * The chat's options that the environment sets (everything but the host's own parts); the
 * database, Redis and key prefix are always stated, for the forum shares them.
 */
export type ChatEnvironmentOptions = Omit<
  ChatModuleOptions,
  | 'userDirectory'
  | 'authStrategy'
  | 'toPrincipal'
  | 'fanoutBus'
  | 'presenceStore'
  | 'messageStore'
  | 'rateLimiter'
  | 'connectionLimiter'
  | 'moderationStore'
  | 'messageFilter'
> & { databaseUrl: string; redisUrl: string | null; redisKeyPrefix: string };

/** Which variable sets which chat option (docs: README, docs/embedding.md, docs/cluster.md, docs/limits.md). */
export const CHAT_VARIABLES = {
  databaseUrl: 'DATABASE_URL',
  redisUrl: 'REDIS_URL',
  redisKeyPrefix: 'CHAT_REDIS_PREFIX',
  presenceTtlMs: 'CHAT_PRESENCE_TTL_MS',
  allowedOrigins: 'CHAT_ALLOWED_ORIGINS',
  maxFrameBytes: 'CHAT_MAX_FRAME_BYTES',
  maxContentChars: 'CHAT_MAX_CONTENT_CHARS',
  pingIntervalMs: 'CHAT_PING_INTERVAL_MS',
  pongTimeoutMs: 'CHAT_PONG_TIMEOUT_MS',
  sendQueueLimit: 'CHAT_SEND_QUEUE_LIMIT',
  sendQueueBytes: 'CHAT_SEND_QUEUE_BYTES',
  rateLimit: 'CHAT_RATE_LIMIT',
  maxSocketsPerUser: 'CHAT_MAX_SOCKETS_PER_USER',
  editWindowMs: 'CHAT_EDIT_WINDOW_MS',
  presenceTickMs: 'CHAT_PRESENCE_TICK_MS',
  presenceListLimit: 'CHAT_PRESENCE_LIST_LIMIT',
  handshakeRatePerIp: 'CHAT_HANDSHAKE_RATE_PER_IP',
} as const satisfies Partial<Record<keyof ChatEnvironmentOptions, string>>;

type ChatVariableOption = keyof typeof CHAT_VARIABLES;

const INTEGER_OPTIONS = new Set<ChatVariableOption>([
  'presenceTtlMs',
  'maxFrameBytes',
  'maxContentChars',
  'pingIntervalMs',
  'pongTimeoutMs',
  'sendQueueLimit',
  'sendQueueBytes',
  'maxSocketsPerUser',
  'editWindowMs',
  'presenceTickMs',
  'presenceListLimit',
]);

/** The standalone server's database when `DATABASE_URL` is unset. */
const DEFAULT_DATABASE_URL = 'sqlite:./data/chat.db';

/**
 * Builds the chat's module options from the environment: each set variable becomes its
 * option (integers read as numbers, `CHAT_ALLOWED_ORIGINS` split on commas, rates passed
 * as written), unset ones stay absent so `ChatModule` applies its own defaults. The result
 * is checked by the module's own rules (`validateChatOptions`); a bad value throws a
 * `ConfigError` naming the variable.
 */
export function chatOptionsFromEnvironment(env: Record<string, string>): ChatEnvironmentOptions {
  const options: Record<string, unknown> = {
    databaseUrl: DEFAULT_DATABASE_URL,
    redisUrl: null,
    redisKeyPrefix: CHAT_DEFAULTS.redisKeyPrefix,
  };
  for (const [option, variable] of Object.entries(CHAT_VARIABLES) as Array<[ChatVariableOption, string]>) {
    const text = env[variable];
    if (text === undefined) continue;
    options[option] = INTEGER_OPTIONS.has(option) ? toInteger(text) : text;
  }
  if (typeof options.allowedOrigins === 'string') options.allowedOrigins = splitOrigins(options.allowedOrigins);
  try {
    validateChatOptions(options, (option) => CHAT_VARIABLES[option as ChatVariableOption] ?? option);
  } catch (error) {
    if (!(error instanceof ChatOptionsError)) throw error;
    throw new ConfigError(
      `invalid configuration: ${error.option}=${JSON.stringify(error.value)} — expected ${error.expected}`,
    );
  }
  return options as ChatEnvironmentOptions;
}

/** A decimal integer as a number; anything else stays text (and fails the integer rule). */
function toInteger(text: string): number | string {
  return /^\s*-?\d+\s*$/.test(text) ? Number(text) : text;
}

function splitOrigins(text: string): string[] | null {
  const origins = text
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  return origins.length > 0 ? origins : null;
}
