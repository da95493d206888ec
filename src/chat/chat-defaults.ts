import { DEFAULT_HANDSHAKE_RATE_PER_IP, DEFAULT_MAX_SOCKETS_PER_USER } from './limits/connection-defaults.js';
import {
  DEFAULT_PRESENCE_CHANGES_PER_FRAME,
  DEFAULT_PRESENCE_LIST_LIMIT,
  DEFAULT_PRESENCE_TICK_MS,
} from './presence/presence-limits.js';
import { DEFAULT_PRESENCE_TTL_MS } from './presence/presence-timings.js';

/**
 * The contract's default of every chat option, applied by `resolveChatOptions` to what
 * `forRoot` (or the environment, which leaves unset variables out) did not state.
 */
export const CHAT_DEFAULTS = {
  path: '/ws',
  authStrategy: 'forum-session',
  redisKeyPrefix: 'forum-chat:',
  presenceTtlMs: DEFAULT_PRESENCE_TTL_MS,
  maxFrameBytes: 8192,
  maxContentChars: 2000,
  /** Invariant: less than `pongTimeoutMs`, so a live client is pinged before it is judged silent. */
  pingIntervalMs: 54_000,
  pongTimeoutMs: 60_000,
  sendQueueLimit: 256,
  sendQueueBytes: 4_194_304,
  rateLimit: { rate: 5, perMs: 1000, burst: 10 },
  maxSocketsPerUser: DEFAULT_MAX_SOCKETS_PER_USER,
  handshakeRatePerIp: DEFAULT_HANDSHAKE_RATE_PER_IP,
  /** 15 minutes; 0 forbids editing. */
  editWindowMs: 15 * 60_000,
  presenceTickMs: DEFAULT_PRESENCE_TICK_MS,
  presenceListLimit: DEFAULT_PRESENCE_LIST_LIMIT,
  presenceChangesPerFrame: DEFAULT_PRESENCE_CHANGES_PER_FRAME,
} as const;
