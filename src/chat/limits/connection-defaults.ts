import type { RateLimitSpec } from './rate-limit-spec.js';

/** Default `CHAT_MAX_SOCKETS_PER_USER`: enough for many tabs and devices, few enough to bound one account. */
export const DEFAULT_MAX_SOCKETS_PER_USER = 10;

/** Default `CHAT_HANDSHAKE_RATE_PER_IP` (`10/1s,burst=20`): a page reload storm passes, a connect loop does not. */
export const DEFAULT_HANDSHAKE_RATE_PER_IP: RateLimitSpec = { rate: 10, perMs: 1000, burst: 20 };
