import { Inject, Injectable, Logger } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { ChatPrincipal } from '../auth/chat-principal.js';
import { authenticateWithPassport } from '../auth/passport-authenticator.js';
import { CHAT_OPTIONS, type ResolvedChatOptions } from '../chat.options.js';
import { isOriginAllowed } from './origin-policy.js';

const PRINCIPAL = Symbol('chat.principal');

/** ws `verifyClient` callback: accept, or refuse with an HTTP status before any socket exists. */
export type VerifyDone = (accept: boolean, status?: number, message?: string, headers?: Record<string, string>) => void;

/** Why a handshake was refused, for metrics. */
export type HandshakeRefusal = 'draining' | 'origin' | 'unauthenticated' | 'auth_error';

/**
 * The checks an upgrade passes before it becomes a socket, in a fixed order: the server
 * is not shutting down (503), the `Origin` is allowed (403), the Passport strategy
 * accepts the session (401; 503 if the strategy itself fails). An accepted request
 * carries its principal for the gateway; a refused one never reaches the gateway.
 */
@Injectable()
export class Handshake {
  private readonly logger = new Logger(Handshake.name);
  private draining = false;
  readonly refusals: Record<HandshakeRefusal, number> = { draining: 0, origin: 0, unauthenticated: 0, auth_error: 0 };

  constructor(@Inject(CHAT_OPTIONS) private readonly options: ResolvedChatOptions) {}

  /** Refuse every new handshake from now on (shutdown). */
  startDraining(): void {
    this.draining = true;
  }

  readonly verify = (info: { origin: string; req: IncomingMessage }, done: VerifyDone): void => {
    void this.check(info.req, info.origin).then(
      (refusal) => (refusal ? done(false, refusal.status, refusal.message) : done(true)),
      (error: unknown) => {
        this.logger.error(`handshake check failed: ${(error as Error).message}`);
        done(false, 500, 'Internal Server Error');
      },
    );
  };

  private async check(request: IncomingMessage, origin: string | undefined): Promise<{ status: number; message: string } | null> {
    if (this.draining) return this.refuse('draining', 503, 'Service Unavailable');
    if (!isOriginAllowed(origin, request.headers.host, this.options.allowedOrigins)) {
      return this.refuse('origin', 403, 'Forbidden');
    }
    let principal: ChatPrincipal | null;
    try {
      principal = await authenticateWithPassport(this.options.authStrategy, request, this.options.toPrincipal);
    } catch (error) {
      this.logger.warn(`session check failed: ${(error as Error).message}`);
      return this.refuse('auth_error', 503, 'Service Unavailable');
    }
    if (!principal) return this.refuse('unauthenticated', 401, 'Unauthorized');
    (request as IncomingMessage & { [PRINCIPAL]?: ChatPrincipal })[PRINCIPAL] = principal;
    return null;
  }

  private refuse(reason: HandshakeRefusal, status: number, message: string) {
    this.refusals[reason] += 1;
    return { status, message };
  }
}

/** The principal the handshake attached to an accepted upgrade request. */
export function principalOf(request: IncomingMessage): ChatPrincipal | undefined {
  return (request as IncomingMessage & { [PRINCIPAL]?: ChatPrincipal })[PRINCIPAL];
}
