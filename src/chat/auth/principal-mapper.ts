import { Logger } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { ToPrincipal } from '../chat.options.js';
import { bearerTokenExpiry } from './bearer-token-expiry.js';
import type { SocketPrincipal } from './chat-principal.js';

/** A strategy that succeeds without a usable principal is reported at most this often. */
export const UNUSABLE_PRINCIPAL_WARN_INTERVAL_MS = 60_000;

/**
 * Turns what the Passport strategy accepted into the socket's principal with the host's
 * `toPrincipal`: null (the handshake gets 401) when it yields no positive integer `id` or
 * no string `nickname` — logged at WARN at most once a minute, naming what is missing and
 * the keys the strategy's user had. An absent `expiresAt` is taken from the bearer JWT.
 */
export class PrincipalMapper {
  private lastWarningAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly strategy: string,
    private readonly toPrincipal: ToPrincipal,
    private readonly logger: Pick<Logger, 'warn'> = new Logger('ChatHandshake'),
    private readonly now: () => number = Date.now,
  ) {}

  map(user: unknown, request: IncomingMessage): SocketPrincipal | null {
    let mapped: unknown;
    try {
      mapped = this.toPrincipal(user, request);
    } catch (error) {
      this.warn(`toPrincipal threw: ${(error as Error).message}`);
      return null;
    }
    const problem = problemOf(mapped);
    if (problem) {
      this.warn(`${problem} (the strategy's user has ${keysOf(user)}); map it with the toPrincipal option`);
      return null;
    }
    const principal = mapped as { id: number; nickname: string; sessionKey?: unknown; expiresAt?: unknown };
    return {
      id: principal.id,
      nickname: principal.nickname,
      sessionKey: typeof principal.sessionKey === 'string' ? principal.sessionKey : null,
      expiresAt: typeof principal.expiresAt === 'number' ? principal.expiresAt : bearerTokenExpiry(request),
    };
  }

  private warn(detail: string): void {
    const now = this.now();
    if (now - this.lastWarningAt < UNUSABLE_PRINCIPAL_WARN_INTERVAL_MS) return;
    this.lastWarningAt = now;
    this.logger.warn(
      `the Passport strategy "${this.strategy}" accepted a handshake but gave no usable chat principal: ${detail}; refused with 401`,
    );
  }
}

/** What a mapped principal lacks, or null when it is usable. */
function problemOf(mapped: unknown): string | null {
  if (typeof mapped !== 'object' || mapped === null) return 'toPrincipal returned no principal';
  const { id, nickname } = mapped as Record<string, unknown>;
  const missing = [
    ...(Number.isSafeInteger(id) && (id as number) > 0 ? [] : ['`id` (a positive integer)']),
    ...(typeof nickname === 'string' && nickname !== '' ? [] : ['`nickname` (a string)']),
  ];
  return missing.length > 0 ? `the principal lacks ${missing.join(' and ')}` : null;
}

function keysOf(user: unknown): string {
  if (typeof user !== 'object' || user === null) return `no fields (${typeof user})`;
  const keys = Object.keys(user);
  return keys.length > 0 ? `the keys ${keys.join(', ')}` : 'no fields';
}
