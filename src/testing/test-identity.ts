import type { IncomingMessage } from 'node:http';
import { randomBytes } from 'node:crypto';
import passport from 'passport';
import type { ChatPrincipal } from '../chat/auth/chat-principal.js';

/** Header that carries a one-use ticket of the test identity strategy. */
export const TEST_IDENTITY_HEADER = 'x-forum-chat-test-identity';

/**
 * Who a test connects as, without any login: `id` and `nickname` as the chat shows them;
 * `sessionKey` (default `test-session:<id>`, shared by the user's tabs) is what
 * `endSession` closes with 4401; `expiresAt` (epoch ms) closes the socket with 4401 then.
 */
export interface TestIdentity {
  id: number;
  nickname: string;
  sessionKey?: string | null;
  expiresAt?: number | null;
}

const TEST_PRINCIPAL = Symbol('forum-chat.testPrincipal');

type StrategyActions = {
  success(user: unknown, info?: unknown): void;
  fail(status?: number): void;
  error(error: unknown): void;
};

type ToPrincipal = (user: unknown, ...rest: unknown[]) => ChatPrincipal | null;

/**
 * The test-only identity of one test app: a Passport strategy registered under a random
 * name that only this app's options point to, and that accepts only the one-use tickets
 * `issue` handed out (so nothing outside the test can pick an identity). A request
 * without a ticket goes to the app's real strategy (`realStrategy`), unchanged.
 */
export class TestIdentityStrategy {
  readonly name = `forum-chat-testing-${randomBytes(6).toString('hex')}`;
  private readonly tickets = new Map<string, ChatPrincipal>();
  private realStrategy: string | null = null;
  private realToPrincipal: ToPrincipal = () => null;

  /** A one-use ticket for `identity`, to send in `TEST_IDENTITY_HEADER`. */
  issue(identity: TestIdentity): string {
    const ticket = randomBytes(16).toString('hex');
    this.tickets.set(ticket, {
      id: identity.id,
      nickname: identity.nickname,
      sessionKey: identity.sessionKey === undefined ? `test-session:${identity.id}` : identity.sessionKey,
      expiresAt: identity.expiresAt ?? null,
    });
    return ticket;
  }

  /**
   * Puts itself in front of the app's strategy: `realStrategy` (null: none, requests
   * without a ticket get 401) and its principal mapping. Returns the mapping to install.
   */
  delegateTo(realStrategy: string | null, realToPrincipal: ToPrincipal): ToPrincipal {
    this.realStrategy = realStrategy;
    this.realToPrincipal = realToPrincipal;
    return (user, ...rest) => (isTestUser(user) ? user[TEST_PRINCIPAL] : this.realToPrincipal(user, ...rest));
  }

  /** Registers the strategy with Passport. */
  install(): void {
    const strategy = this;
    passport.use(this.name, {
      name: this.name,
      authenticate(this: StrategyActions, request: IncomingMessage) {
        strategy.authenticate(request, this);
      },
    } as unknown as passport.Strategy);
  }

  /** Unregisters the strategy and forgets every ticket. */
  uninstall(): void {
    passport.unuse(this.name);
    this.tickets.clear();
  }

  private authenticate(request: IncomingMessage, actions: StrategyActions): void {
    const ticket = request.headers[TEST_IDENTITY_HEADER];
    if (typeof ticket === 'string') {
      const principal = this.tickets.get(ticket);
      this.tickets.delete(ticket);
      return principal ? actions.success({ [TEST_PRINCIPAL]: principal }) : actions.fail(401);
    }
    if (this.realStrategy === null) return actions.fail(401);
    const real = passport.authenticate(this.realStrategy, { session: false }, (error: unknown, user: unknown) => {
      if (error) actions.error(error);
      else if (user) actions.success(user);
      else actions.fail(401);
    });
    real(request, {}, (error?: unknown) => (error ? actions.error(error) : actions.fail(401)));
  }
}

function isTestUser(user: unknown): user is { [TEST_PRINCIPAL]: ChatPrincipal } {
  return typeof user === 'object' && user !== null && TEST_PRINCIPAL in user;
}
