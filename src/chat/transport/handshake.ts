import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { SocketPrincipal } from '../auth/chat-principal.js';
import { PrincipalMapper } from '../auth/principal-mapper.js';
import { authenticateWithPassport } from '../auth/passport-authenticator.js';
import { RESOLVED_CHAT_OPTIONS, type ResolvedChatOptions } from '../chat.options.js';
import { AccountDebts } from '../limits/account-debts.js';
import { clientAddressKey } from '../limits/client-address.js';
import { ConnectionLimiter } from '../limits/connection-limiter.js';
import { RateLimiter } from '../limits/rate-limiter.js';
import { isOriginAllowed } from './origin-policy.js';

const PRINCIPAL = Symbol('chat.principal');

type Refusal = { status: number; message: string; headers?: Record<string, string> };

/** ws `verifyClient` callback: accept, or refuse with an HTTP status before any socket exists. */
export type VerifyDone = (accept: boolean, status?: number, message?: string, headers?: Record<string, string>) => void;

/** Why a handshake was refused, for metrics. */
export type HandshakeRefusal =
  | 'draining'
  | 'handshake_rate'
  | 'origin'
  | 'unauthenticated'
  | 'auth_error'
  | 'account_cooldown'
  | 'too_many_sockets'
  | 'client_gone';

/**
 * The checks an upgrade passes before it becomes a socket, in a fixed order: the server
 * is not shutting down (503), the client address is within its handshake rate (429 with
 * `Retry-After`), the `Origin` is allowed (403), the Passport strategy accepts the session
 * (401; 503 if the strategy itself fails), the account is not cooling down after
 * too many refused frames (429 with `Retry-After`), the user holds fewer than `maxSocketsPerUser`
 * sockets (429). An accepted request carries its principal for the gateway and a
 * connection lease that is released when its TCP connection closes; a refused one never
 * reaches the gateway and holds nothing.
 */
@Injectable()
export class Handshake {
  private readonly logger = new Logger(Handshake.name);
  private draining = false;
  readonly refusals: Record<HandshakeRefusal, number> = {
    draining: 0,
    handshake_rate: 0,
    origin: 0,
    unauthenticated: 0,
    auth_error: 0,
    account_cooldown: 0,
    too_many_sockets: 0,
    client_gone: 0,
  };

  constructor(
    @Inject(RESOLVED_CHAT_OPTIONS) private readonly options: ResolvedChatOptions,
    @Inject(RateLimiter) private readonly rateLimiter: RateLimiter,
    @Inject(ConnectionLimiter) private readonly connectionLimiter: ConnectionLimiter,
    @Optional() private readonly accountDebts: AccountDebts = new AccountDebts(),
  ) {
    this.principals = new PrincipalMapper(options.authStrategy, options.toPrincipal, this.logger);
  }

  private readonly principals: PrincipalMapper;

  /** Refuse every new handshake from now on (shutdown). */
  startDraining(): void {
    this.draining = true;
  }

  readonly verify = (info: { origin: string; req: IncomingMessage }, done: VerifyDone): void => {
    void this.check(info.req, info.origin).then(
      (refusal) => (refusal ? done(false, refusal.status, refusal.message, refusal.headers) : done(true)),
      (error: unknown) => {
        this.logger.error(`handshake check failed: ${(error as Error).message}`);
        done(false, 500, 'Internal Server Error');
      },
    );
  };

  private async check(request: IncomingMessage, origin: string | undefined): Promise<Refusal | null> {
    if (this.draining) return this.refuse('draining', 503, 'Service Unavailable');
    const rateRefusal = await this.checkHandshakeRate(request);
    if (rateRefusal) return rateRefusal;
    if (!isOriginAllowed(origin, request.headers.host, this.options.allowedOrigins)) {
      return this.refuse('origin', 403, 'Forbidden');
    }
    let principal: SocketPrincipal | null;
    try {
      const user = await authenticateWithPassport(this.options.authStrategy, request);
      principal = user ? this.principals.map(user, request) : null;
    } catch (error) {
      this.logger.warn(`session check failed: ${(error as Error).message}`);
      return this.refuse('auth_error', 503, 'Service Unavailable');
    }
    if (!principal) return this.refuse('unauthenticated', 401, 'Unauthorized');
    const cooldownMs = await this.accountDebts.remainingMs(principal.id);
    if (cooldownMs > 0) return this.refuse('account_cooldown', 429, 'Too Many Requests', retryAfter(cooldownMs));
    const lease = await this.connectionLimiter.acquire(principal.id);
    if (!lease) return this.refuse('too_many_sockets', 429, 'Too Many Requests');
    if (request.socket.destroyed) {
      lease.release();
      return this.refuse('client_gone', 400, 'Bad Request');
    }
    request.socket.once('close', () => lease.release());
    (request as IncomingMessage & { [PRINCIPAL]?: SocketPrincipal })[PRINCIPAL] = principal;
    return null;
  }

  /** The per-address handshake rate; a limiter failure lets the handshake through. */
  private async checkHandshakeRate(request: IncomingMessage): Promise<Refusal | null> {
    const spec = this.options.handshakeRatePerIp;
    if (!spec) return null;
    const key = `handshake:${clientAddressKey(request.socket.remoteAddress)}`;
    const decision = await this.rateLimiter.take(key, spec).catch((error: unknown) => {
      this.logger.warn(`handshake rate check failed, let through: ${(error as Error).message}`);
      return null;
    });
    if (!decision || decision.allowed) return null;
    return this.refuse('handshake_rate', 429, 'Too Many Requests', retryAfter(decision.retryAfterMs));
  }

  private refuse(reason: HandshakeRefusal, status: number, message: string, headers?: Record<string, string>): Refusal {
    this.refusals[reason] += 1;
    return { status, message, headers };
  }
}

/** A `Retry-After` header of whole seconds (at least 1) for a wait of `ms`. */
function retryAfter(ms: number): Record<string, string> {
  return { 'Retry-After': String(Math.max(1, Math.ceil(ms / 1000))) };
}

/** The principal the handshake attached to an accepted upgrade request. */
export function principalOf(request: IncomingMessage): SocketPrincipal | undefined {
  return (request as IncomingMessage & { [PRINCIPAL]?: SocketPrincipal })[PRINCIPAL];
}
