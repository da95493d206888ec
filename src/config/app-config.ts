import { plainToInstance, Transform } from 'class-transformer';
import { CHAT_DEFAULTS } from '../chat/chat-defaults.js';
import {
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
  ValidationError,
} from 'class-validator';
import { parseRateLimit, RateLimitSpec } from './rate-limit.js';

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;

/** The environment variables of the contract, as class-validator rules. */
class EnvironmentVariables {
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'an integer port 0–65535' })
  @Min(0, { message: 'an integer port 0–65535' })
  @Max(65535, { message: 'an integer port 0–65535' })
  PORT?: number;

  @IsOptional()
  @IsString()
  @Matches(/^(sqlite:.+|postgres(ql)?:\/\/.+)$/, { message: '"sqlite:<path>" or "postgres://…"' })
  DATABASE_URL?: string;

  @IsOptional()
  @IsString()
  @Matches(/^rediss?:\/\/.+/, { message: 'a "redis://…" URL' })
  REDIS_URL?: string;

  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_:.-]{1,64}$/, { message: '1–64 of letters, digits, "_", ":", ".", "-"' })
  CHAT_REDIS_PREFIX?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'an integer of milliseconds ≥ 500' })
  @Min(500, { message: 'an integer of milliseconds ≥ 500' })
  CHAT_PRESENCE_TTL_MS?: number;

  @IsOptional()
  @IsString()
  CHAT_ALLOWED_ORIGINS?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'an integer ≥ 256' })
  @Min(256, { message: 'an integer ≥ 256' })
  @Max(1 << 24, { message: 'an integer ≤ 16777216' })
  CHAT_MAX_FRAME_BYTES?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'an integer ≥ 1' })
  @Min(1, { message: 'an integer ≥ 1' })
  CHAT_MAX_CONTENT_CHARS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'an integer of milliseconds ≥ 10' })
  @Min(10, { message: 'an integer of milliseconds ≥ 10' })
  CHAT_PING_INTERVAL_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'an integer of milliseconds ≥ 20' })
  @Min(20, { message: 'an integer of milliseconds ≥ 20' })
  CHAT_PONG_TIMEOUT_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'an integer ≥ 1' })
  @Min(1, { message: 'an integer ≥ 1' })
  CHAT_SEND_QUEUE_LIMIT?: number;

  @IsOptional()
  @IsString()
  CHAT_RATE_LIMIT?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'an integer of milliseconds 10–5000' })
  @Min(10, { message: 'an integer of milliseconds 10–5000' })
  @Max(5000, { message: 'an integer of milliseconds 10–5000' })
  CHAT_PRESENCE_TICK_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'an integer ≥ 1' })
  @Min(1, { message: 'an integer ≥ 1' })
  CHAT_PRESENCE_LIST_LIMIT?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'an integer of seconds ≥ 1' })
  @Min(1, { message: 'an integer of seconds ≥ 1' })
  SESSION_TTL_SECONDS?: number;

  @IsOptional()
  @IsIn(['true', 'false'], { message: '"true" or "false"' })
  COOKIE_SECURE?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'an integer ≥ 1' })
  @Min(1, { message: 'an integer ≥ 1' })
  CHAT_MAX_SOCKETS_PER_USER?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'an integer of milliseconds ≥ 0' })
  @Min(0, { message: 'an integer of milliseconds ≥ 0' })
  CHAT_EDIT_WINDOW_MS?: number;

  @IsOptional()
  @IsString()
  CHAT_HANDSHAKE_RATE_PER_IP?: string;

  @IsOptional()
  @IsString()
  AUTH_LOGIN_RATE_PER_LOGIN?: string;

  @IsOptional()
  @IsString()
  AUTH_LOGIN_RATE_PER_IP?: string;

  @IsOptional()
  @IsString()
  AUTH_REGISTER_RATE_PER_IP?: string;

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'a secret of at least 32 characters' })
  ADMIN_TOKEN?: string;
}

/**
 * Defaults of the brute-force limits (`AUTH_LOGIN_RATE_PER_LOGIN` `1/1m,burst=10`,
 * `AUTH_LOGIN_RATE_PER_IP` `30/1m,burst=30`, `AUTH_REGISTER_RATE_PER_IP` `5/1m,burst=20`;
 * see docs/limits.md). The chat's own defaults are `CHAT_DEFAULTS`.
 */
const AUTH_RATE_LIMIT_DEFAULTS = {
  AUTH_LOGIN_RATE_PER_LOGIN: { rate: 1, perMs: 60_000, burst: 10 },
  AUTH_LOGIN_RATE_PER_IP: { rate: 30, perMs: 60_000, burst: 30 },
  AUTH_REGISTER_RATE_PER_IP: { rate: 5, perMs: 60_000, burst: 20 },
} as const;

/** The validated, typed configuration of one forum-chat process. */
export interface AppConfig {
  port: number;
  databaseUrl: string;
  redisUrl: string | null;
  /** Prefix of the cluster's Redis keys and channel; instances of one cluster share it. */
  redisKeyPrefix: string;
  /** Cluster mode: the users of an instance that died are reported gone within this many ms. */
  presenceTtlMs: number;
  /** Exact origins allowed to open `/ws`; null: same host as the request only. */
  allowedOrigins: string[] | null;
  maxFrameBytes: number;
  maxContentChars: number;
  pingIntervalMs: number;
  pongTimeoutMs: number;
  sendQueueLimit: number;
  /** Presence changes are coalesced per this many ms for `presence_changes` clients. */
  presenceTickMs: number;
  /** Most online users a client without `presence_changes` is listed and told about one by one. */
  presenceListLimit: number;
  /** null when rate limiting is off. */
  rateLimit: RateLimitSpec | null;
  sessionTtlSeconds: number;
  /** Whether the session cookie carries the `Secure` flag (set behind TLS). */
  cookieSecure: boolean;
  /** Most sockets one user may hold at once (per instance). */
  maxSocketsPerUser: number;
  /** How long after sending a message its author may edit it (ms). */
  editWindowMs: number;
  /** Handshakes per client address; null when off. */
  handshakeRatePerIp: RateLimitSpec | null;
  /** Login and registration limits; each null when off. */
  authRateLimits: AuthRateLimits;
  /** Secret of the admin endpoints; null: they do not exist (404). */
  adminToken: string | null;
}

/** Brute-force limits of the auth endpoints (`AUTH_*_RATE_*`); null disables one. */
export interface AuthRateLimits {
  loginPerLogin: RateLimitSpec | null;
  loginPerIp: RateLimitSpec | null;
  registerPerIp: RateLimitSpec | null;
}

/** A configuration error: `message` is one line naming the variable and what it expects. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

function describe(error: ValidationError): string {
  const expected = Object.values(error.constraints ?? {})[0] ?? 'a valid value';
  return `invalid configuration: ${error.property}=${JSON.stringify(error.value)} — expected ${expected}`;
}

/**
 * Reads and validates the configuration from `env`. Throws a `ConfigError` whose message
 * is a single line naming the first bad variable; never returns a half-valid config.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const raw: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && value !== '') raw[key] = value;
  const vars = plainToInstance(EnvironmentVariables, raw, { excludeExtraneousValues: false });
  const errors = validateSync(vars, { whitelist: true, stopAtFirstError: true });
  if (errors.length > 0) throw new ConfigError(describe(errors[0]));

  const rateLimit = rateSpec(vars, 'CHAT_RATE_LIMIT', CHAT_DEFAULTS.rateLimit);
  const pingIntervalMs = vars.CHAT_PING_INTERVAL_MS ?? CHAT_DEFAULTS.pingIntervalMs;
  const pongTimeoutMs = vars.CHAT_PONG_TIMEOUT_MS ?? CHAT_DEFAULTS.pongTimeoutMs;
  if (pongTimeoutMs <= pingIntervalMs) {
    throw new ConfigError(
      `invalid configuration: CHAT_PONG_TIMEOUT_MS=${pongTimeoutMs} — expected more than CHAT_PING_INTERVAL_MS (${pingIntervalMs})`,
    );
  }
  const origins = vars.CHAT_ALLOWED_ORIGINS?.split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  return {
    port: vars.PORT ?? 8080,
    databaseUrl: vars.DATABASE_URL ?? 'sqlite:./data/chat.db',
    redisUrl: vars.REDIS_URL ?? null,
    redisKeyPrefix: vars.CHAT_REDIS_PREFIX ?? CHAT_DEFAULTS.redisKeyPrefix,
    presenceTtlMs: vars.CHAT_PRESENCE_TTL_MS ?? CHAT_DEFAULTS.presenceTtlMs,
    allowedOrigins: origins && origins.length > 0 ? origins : null,
    maxFrameBytes: vars.CHAT_MAX_FRAME_BYTES ?? CHAT_DEFAULTS.maxFrameBytes,
    maxContentChars: vars.CHAT_MAX_CONTENT_CHARS ?? CHAT_DEFAULTS.maxContentChars,
    pingIntervalMs,
    pongTimeoutMs,
    sendQueueLimit: vars.CHAT_SEND_QUEUE_LIMIT ?? CHAT_DEFAULTS.sendQueueLimit,
    presenceTickMs: vars.CHAT_PRESENCE_TICK_MS ?? CHAT_DEFAULTS.presenceTickMs,
    presenceListLimit: vars.CHAT_PRESENCE_LIST_LIMIT ?? CHAT_DEFAULTS.presenceListLimit,
    rateLimit,
    sessionTtlSeconds: vars.SESSION_TTL_SECONDS ?? 86_400,
    cookieSecure: vars.COOKIE_SECURE === 'true',
    maxSocketsPerUser: vars.CHAT_MAX_SOCKETS_PER_USER ?? CHAT_DEFAULTS.maxSocketsPerUser,
    editWindowMs: vars.CHAT_EDIT_WINDOW_MS ?? CHAT_DEFAULTS.editWindowMs,
    handshakeRatePerIp: rateSpec(vars, 'CHAT_HANDSHAKE_RATE_PER_IP', CHAT_DEFAULTS.handshakeRatePerIp),
    authRateLimits: {
      loginPerLogin: rateSpec(vars, 'AUTH_LOGIN_RATE_PER_LOGIN', AUTH_RATE_LIMIT_DEFAULTS.AUTH_LOGIN_RATE_PER_LOGIN),
      loginPerIp: rateSpec(vars, 'AUTH_LOGIN_RATE_PER_IP', AUTH_RATE_LIMIT_DEFAULTS.AUTH_LOGIN_RATE_PER_IP),
      registerPerIp: rateSpec(vars, 'AUTH_REGISTER_RATE_PER_IP', AUTH_RATE_LIMIT_DEFAULTS.AUTH_REGISTER_RATE_PER_IP),
    },
    adminToken: vars.ADMIN_TOKEN ?? null,
  };
}

type RateVariable =
  | 'CHAT_RATE_LIMIT'
  | 'CHAT_HANDSHAKE_RATE_PER_IP'
  | 'AUTH_LOGIN_RATE_PER_LOGIN'
  | 'AUTH_LOGIN_RATE_PER_IP'
  | 'AUTH_REGISTER_RATE_PER_IP';

/** Parses one rate-limit variable, `fallback` when unset; a bad value is a `ConfigError` naming it. */
function rateSpec(vars: EnvironmentVariables, name: RateVariable, fallback: RateLimitSpec): RateLimitSpec | null {
  const value = vars[name];
  if (value === undefined) return { ...fallback };
  try {
    return parseRateLimit(value);
  } catch (error) {
    throw new ConfigError(`invalid configuration: ${name}=${JSON.stringify(value)} — ${(error as Error).message}`);
  }
}
