import { CHAT_DEFAULTS } from './chat-defaults.js';
import { ChatOptionsError } from './chat-options.error.js';
import type { ChatModuleOptions } from './chat.options.js';
import { parseRateLimit, type RateLimitSpec } from './limits/rate-limit-spec.js';
import { parseRedisUrl, REDIS_URL_FORMS } from '../drivers/redis-url.js';

/** The integer options and their bounds; the expectation is stated in the error. */
const INTEGER_RULES = {
  presenceTtlMs: { min: 500, expected: 'an integer of milliseconds ≥ 500' },
  maxFrameBytes: { min: 256, max: 1 << 24, expected: 'an integer ≥ 256' },
  maxContentChars: { min: 1, expected: 'an integer ≥ 1' },
  pingIntervalMs: { min: 10, expected: 'an integer of milliseconds ≥ 10' },
  pongTimeoutMs: { min: 20, expected: 'an integer of milliseconds ≥ 20' },
  sendQueueLimit: { min: 1, expected: 'an integer ≥ 1' },
  sendQueueBytes: { min: 65_536, expected: 'an integer of bytes ≥ 65536' },
  maxSocketsPerUser: { min: 1, expected: 'an integer ≥ 1' },
  editWindowMs: { min: 0, expected: 'an integer of milliseconds ≥ 0' },
  presenceTickMs: { min: 10, max: 5000, expected: 'an integer of milliseconds 10–5000' },
  presenceListLimit: { min: 1, expected: 'an integer ≥ 1' },
} as const satisfies Partial<Record<keyof ChatModuleOptions, { min: number; max?: number; expected: string }>>;

const DATABASE_URL = /^(sqlite:.+|postgres(ql)?:\/\/.+)$/;
const REDIS_KEY_PREFIX = /^[A-Za-z0-9_:.-]{1,64}$/;

/** How an error names an option: the option itself, or (for the environment) its variable. */
export type OptionNamer = (option: keyof ChatModuleOptions) => string;

/**
 * Checks every option a host (or the environment) gave, with one set of rules: integer
 * bounds, the heartbeat invariant (pong timeout > ping interval), URLs, the key prefix,
 * rate specs (`"5/1s,burst=10"`, `"off"`, null or `{ rate, perMs, burst }` of positive
 * integers). Absent options are not checked (their defaults are valid). Throws a
 * `ChatOptionsError` for the first bad option, named by `nameOf`.
 */
export function validateChatOptions(options: Partial<ChatModuleOptions>, nameOf: OptionNamer = (o) => o): void {
  const fail = (option: keyof ChatModuleOptions, expected: string): never => {
    throw new ChatOptionsError(nameOf(option), options[option], expected);
  };
  checkShape(options, fail);
  for (const [option, rule] of Object.entries(INTEGER_RULES) as Array<[keyof typeof INTEGER_RULES, RuleOf]>) {
    const value = options[option];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || (value as number) < rule.min) fail(option, rule.expected);
    if (rule.max !== undefined && (value as number) > rule.max) fail(option, `an integer ≤ ${rule.max}`);
  }
  const ping = options.pingIntervalMs ?? null;
  const pong = options.pongTimeoutMs ?? null;
  if (ping !== null || pong !== null) {
    const effectivePing = ping ?? CHAT_DEFAULTS.pingIntervalMs;
    const effectivePong = pong ?? CHAT_DEFAULTS.pongTimeoutMs;
    if (effectivePong <= effectivePing) {
      if (pong === null) fail('pingIntervalMs', `less than ${nameOf('pongTimeoutMs')} (${effectivePong})`);
      fail('pongTimeoutMs', `more than ${nameOf('pingIntervalMs')} (${effectivePing})`);
    }
  }
  for (const option of ['rateLimit', 'handshakeRatePerIp'] as const) {
    if (options[option] === undefined) continue;
    try {
      toRateLimitSpec(options[option]);
    } catch (error) {
      fail(option, (error as Error).message.replace(/^expected /, ''));
    }
  }
}

type RuleOf = { min: number; max?: number; expected: string };
type Fail = (option: keyof ChatModuleOptions, expected: string) => never;

/** The options that are not numbers: strings, URLs, functions, lists. */
function checkShape(options: Partial<ChatModuleOptions>, fail: Fail): void {
  const { userDirectory, path, authStrategy, toPrincipal, databaseUrl, redisUrl, redisKeyPrefix, allowedOrigins } =
    options;
  if (
    userDirectory !== undefined &&
    (typeof userDirectory?.findById !== 'function' || typeof userDirectory?.list !== 'function')
  ) {
    fail('userDirectory', 'an object with findById(id) and list()');
  }
  if (path !== undefined && (typeof path !== 'string' || !/^\/[^\s?#]*$/.test(path))) {
    fail('path', 'a path starting with "/", like "/ws"');
  }
  if (authStrategy !== undefined && (typeof authStrategy !== 'string' || authStrategy === '')) {
    fail('authStrategy', 'the name of a registered Passport strategy');
  }
  if (toPrincipal !== undefined && typeof toPrincipal !== 'function') {
    fail('toPrincipal', 'a function (user, request) => principal | null');
  }
  if (databaseUrl !== undefined && (typeof databaseUrl !== 'string' || !DATABASE_URL.test(databaseUrl))) {
    fail('databaseUrl', '"sqlite:<path>" or "postgres://…"');
  }
  if (redisUrl != null && (typeof redisUrl !== 'string' || parseRedisUrl(redisUrl) === null)) {
    fail('redisUrl', REDIS_URL_FORMS);
  }
  if (redisKeyPrefix !== undefined && (typeof redisKeyPrefix !== 'string' || !REDIS_KEY_PREFIX.test(redisKeyPrefix))) {
    fail('redisKeyPrefix', '1–64 of letters, digits, "_", ":", ".", "-"');
  }
  if (
    allowedOrigins != null &&
    !(Array.isArray(allowedOrigins) && allowedOrigins.every((o) => typeof o === 'string'))
  ) {
    fail('allowedOrigins', 'an array of origins like "https://forum.example", or null');
  }
}

/**
 * A rate option as a spec: null and `"off"` disable it, a string is parsed
 * (`"5/1s,burst=10"`), an object must hold positive integers. Throws with what is expected.
 */
export function toRateLimitSpec(value: RateLimitSpec | string | null | undefined): RateLimitSpec | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return parseRateLimit(value);
  const { rate, perMs, burst } = (value ?? {}) as Partial<RateLimitSpec>;
  const positive = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 1;
  if (typeof value !== 'object' || !positive(rate) || !positive(perMs) || !positive(burst)) {
    throw new Error(
      'expected "<n>/<duration>[,burst=<n>]" like "5/1s,burst=10", "off", null, or { rate, perMs, burst } of integers ≥ 1',
    );
  }
  return { rate: rate!, perMs: perMs!, burst: burst! };
}
