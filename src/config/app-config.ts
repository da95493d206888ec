import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min, MinLength, validateSync, ValidationError } from 'class-validator';
import { parseRateLimit, type RateLimitSpec } from '../chat/index.js';
import { defaultPerClient, HASHING_BOUND_DEFAULTS, type HashingBound } from '../forum/auth/hashing-gate.js';
import {
  ARGON2ID_LIMITS,
  type Argon2idParameters,
  describeOwaspMinimums,
  OWASP_ARGON2ID,
  owaspMinimumMemoryKiB,
} from '../forum/auth/argon2id-parameters.js';
import { chatOptionsFromEnvironment, type ChatEnvironmentOptions } from './chat-environment.js';
import { ConfigError } from './config-error.js';

export { ConfigError };

const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;

const ARGON2_MEMORY_RANGE = `an integer of KiB ${owaspMinimumMemoryKiB(Infinity)}–${ARGON2ID_LIMITS.maxMemoryKiB}, at OWASP's minimum for AUTH_ARGON2_TIME_COST or above (${describeOwaspMinimums()})`;
const ARGON2_TIME_RANGE = `an integer 1–${ARGON2ID_LIMITS.maxTimeCost} (Argon2id passes)`;

/** The environment variables of the contract, as class-validator rules. */
class EnvironmentVariables {
  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'an integer port 0–65535' })
  @Min(0, { message: 'an integer port 0–65535' })
  @Max(65535, { message: 'an integer port 0–65535' })
  PORT?: number;

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
  @IsString()
  AUTH_LOGIN_RATE_PER_LOGIN?: string;

  @IsOptional()
  @IsString()
  AUTH_LOGIN_RATE_PER_IP?: string;

  @IsOptional()
  @IsString()
  AUTH_REGISTER_RATE_PER_IP?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'an integer 1–64' })
  @Min(1, { message: 'an integer 1–64' })
  @Max(64, { message: 'an integer 1–64' })
  AUTH_HASH_CONCURRENCY?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'an integer 0–10000' })
  @Min(0, { message: 'an integer 0–10000' })
  @Max(10_000, { message: 'an integer 0–10000' })
  AUTH_HASH_QUEUE?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'an integer of milliseconds 1–60000' })
  @Min(1, { message: 'an integer of milliseconds 1–60000' })
  @Max(60_000, { message: 'an integer of milliseconds 1–60000' })
  AUTH_HASH_WAIT_MS?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: 'an integer 1–10000' })
  @Min(1, { message: 'an integer 1–10000' })
  @Max(10_000, { message: 'an integer 1–10000' })
  AUTH_HASH_PER_CLIENT?: number;

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'a secret of at least 32 characters' })
  AUTH_DEVICE_SECRET?: string;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: ARGON2_MEMORY_RANGE })
  @Min(owaspMinimumMemoryKiB(Infinity), { message: ARGON2_MEMORY_RANGE })
  @Max(ARGON2ID_LIMITS.maxMemoryKiB, { message: ARGON2_MEMORY_RANGE })
  AUTH_ARGON2_MEMORY_KIB?: number;

  @IsOptional()
  @Transform(toInt)
  @IsInt({ message: ARGON2_TIME_RANGE })
  @Min(1, { message: ARGON2_TIME_RANGE })
  @Max(ARGON2ID_LIMITS.maxTimeCost, { message: ARGON2_TIME_RANGE })
  AUTH_ARGON2_TIME_COST?: number;

  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'a secret of at least 32 characters' })
  ADMIN_TOKEN?: string;
}

/**
 * Defaults of the brute-force limits (`AUTH_LOGIN_RATE_PER_LOGIN` `1/1m,burst=10`,
 * `AUTH_LOGIN_RATE_PER_IP` `30/1m,burst=30`, `AUTH_REGISTER_RATE_PER_IP` `5/1m,burst=20`;
 * see docs/limits.md). The chat's variables are read by `chatOptionsFromEnvironment`.
 */
const AUTH_RATE_LIMIT_DEFAULTS = {
  AUTH_LOGIN_RATE_PER_LOGIN: { rate: 1, perMs: 60_000, burst: 10 },
  AUTH_LOGIN_RATE_PER_IP: { rate: 30, perMs: 60_000, burst: 30 },
  AUTH_REGISTER_RATE_PER_IP: { rate: 5, perMs: 60_000, burst: 20 },
} as const;

/** The validated, typed configuration of one forum-chat process. */
export interface AppConfig {
  port: number;
  /** The chat's module options, built from the environment (`chatOptionsFromEnvironment`). */
  chat: ChatEnvironmentOptions;
  sessionTtlSeconds: number;
  /** Whether the session cookie carries the `Secure` flag (set behind TLS). */
  cookieSecure: boolean;
  /** Login and registration limits; each null when off. */
  authRateLimits: AuthRateLimits;
  /** Bound on concurrent password hashing (`AUTH_HASH_*`); beyond it login and register answer 503. */
  passwordHashing: HashingBound;
  /**
   * Argon2id parameters of new password hashes: m=`AUTH_ARGON2_MEMORY_KIB` (default 19456),
   * t=`AUTH_ARGON2_TIME_COST` (default 2), p=1; never below OWASP's minimum.
   */
  argon2id: Argon2idParameters;
  /** Secret of the admin endpoints; null: they do not exist (404). */
  adminToken: string | null;
  /** Secret signing device cookies (`AUTH_DEVICE_SECRET`); null: a random one per process. */
  deviceSecret: string | null;
}

/** Brute-force limits of the auth endpoints (`AUTH_*_RATE_*`); null disables one. */
export interface AuthRateLimits {
  loginPerLogin: RateLimitSpec | null;
  loginPerIp: RateLimitSpec | null;
  registerPerIp: RateLimitSpec | null;
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
  return {
    port: vars.PORT ?? 8080,
    chat: chatOptionsFromEnvironment(raw),
    sessionTtlSeconds: vars.SESSION_TTL_SECONDS ?? 86_400,
    cookieSecure: vars.COOKIE_SECURE === 'true',
    authRateLimits: {
      loginPerLogin: rateSpec(vars, 'AUTH_LOGIN_RATE_PER_LOGIN', AUTH_RATE_LIMIT_DEFAULTS.AUTH_LOGIN_RATE_PER_LOGIN),
      loginPerIp: rateSpec(vars, 'AUTH_LOGIN_RATE_PER_IP', AUTH_RATE_LIMIT_DEFAULTS.AUTH_LOGIN_RATE_PER_IP),
      registerPerIp: rateSpec(vars, 'AUTH_REGISTER_RATE_PER_IP', AUTH_RATE_LIMIT_DEFAULTS.AUTH_REGISTER_RATE_PER_IP),
    },
    passwordHashing: {
      concurrency: vars.AUTH_HASH_CONCURRENCY ?? HASHING_BOUND_DEFAULTS.concurrency,
      queue: vars.AUTH_HASH_QUEUE ?? HASHING_BOUND_DEFAULTS.queue,
      maxWaitMs: vars.AUTH_HASH_WAIT_MS ?? HASHING_BOUND_DEFAULTS.maxWaitMs,
      perClient: vars.AUTH_HASH_PER_CLIENT ?? defaultPerClient(vars.AUTH_HASH_QUEUE ?? HASHING_BOUND_DEFAULTS.queue),
    },
    deviceSecret: vars.AUTH_DEVICE_SECRET ?? null,
    argon2id: argon2idParameters(vars),
    adminToken: vars.ADMIN_TOKEN ?? null,
  };
}

type RateVariable = 'AUTH_LOGIN_RATE_PER_LOGIN' | 'AUTH_LOGIN_RATE_PER_IP' | 'AUTH_REGISTER_RATE_PER_IP';

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

/**
 * The Argon2id parameters of new hashes, `OWASP_ARGON2ID` where unset; a memory below
 * OWASP's minimum for the passes asked is a `ConfigError` naming `AUTH_ARGON2_MEMORY_KIB`.
 */
function argon2idParameters(vars: EnvironmentVariables): Argon2idParameters {
  const memoryKiB = vars.AUTH_ARGON2_MEMORY_KIB ?? OWASP_ARGON2ID.memoryKiB;
  const timeCost = vars.AUTH_ARGON2_TIME_COST ?? OWASP_ARGON2ID.timeCost;
  if (memoryKiB < owaspMinimumMemoryKiB(timeCost))
    throw new ConfigError(
      `invalid configuration: AUTH_ARGON2_MEMORY_KIB=${JSON.stringify(memoryKiB)} — expected at least ` +
        `${owaspMinimumMemoryKiB(timeCost)} with AUTH_ARGON2_TIME_COST=${timeCost} (OWASP's minimum: ${describeOwaspMinimums()})`,
    );
  return { ...OWASP_ARGON2ID, memoryKiB, timeCost };
}
