import { Inject, Injectable, Optional } from '@nestjs/common';
import { RESOLVED_CHAT_OPTIONS, type ResolvedChatOptions } from '../chat.options.js';
import { CloseCode } from '../protocol/close-codes.js';
import { AccountDebts } from './account-debts.js';
import { AccountRefusals } from './account-refusals.js';
import { ABUSE_BURST_FACTOR, SustainedAbuse } from './sustained-abuse.js';

/** The burst the abuse threshold is reckoned from when `CHAT_RATE_LIMIT` is off (the default burst). */
export const DEFAULT_ABUSE_BURST = 10;

/** Sockets of one account that may spend the per-socket budget before the account's is spent too. */
export const ACCOUNT_BUDGET_SOCKETS = 2;

/** A socket the policy can close: the connection that owns it, and its account. */
export interface RefusableConnection {
  readonly user: { readonly id: number };
  /** Sends what is queued, closes with `code` and reads nothing more from the peer. */
  cutOff(code: number, reason?: string): void;
}

/** The open sockets of an account on this instance (`ConnectionRegistry`). */
export interface AccountSockets {
  connectionsOf(userId: number): Iterable<RefusableConnection>;
}

/** Injection token of the `AccountSockets` the policy closes an indebted account's sockets through. */
export const ACCOUNT_SOCKETS = Symbol('ACCOUNT_SOCKETS');

/**
 * The price of a refused frame. Every frame a socket sends that is answered with an
 * `error` frame — not JSON, unknown type, invalid field, unknown recipient, `rate_limited`
 * of any kind — counts against that socket and against its account; at more than
 * 3 × burst (burst of `CHAT_RATE_LIMIT`, 10 when it is off) within 10 s on the socket, or
 * more than `ACCOUNT_BUDGET_SOCKETS` times that across all of the account's sockets, the
 * socket gets its last `error` frame and is closed with 1008. An account over its budget is
 * in debt (`AccountDebts`): every socket of it on this instance is closed with 1008 at
 * once, and its handshakes are refused for a cool-down. A socket closed for abuse is read
 * no further: frames it sent after the one too many are never parsed. This is the
 * invalid-frame budget, separate from the message bucket: a refused frame never takes a
 * message token (the contract).
 */
@Injectable()
export class RefusedFrames {
  private readonly refusals = new SustainedAbuse();
  private readonly accountRefusals = new AccountRefusals();
  /** Refusals tolerated within the window per socket; one more closes the socket. */
  readonly threshold: number;
  /** Refusals tolerated within the window per account, across its sockets. */
  readonly accountThreshold: number;

  constructor(
    @Inject(RESOLVED_CHAT_OPTIONS) options: Pick<ResolvedChatOptions, 'rateLimit'>,
    @Optional() private readonly debts: AccountDebts = new AccountDebts(),
    @Optional() @Inject(ACCOUNT_SOCKETS) private readonly sockets: AccountSockets = { connectionsOf: () => [] },
  ) {
    this.threshold = ABUSE_BURST_FACTOR * (options.rateLimit?.burst ?? DEFAULT_ABUSE_BURST);
    this.accountThreshold = ACCOUNT_BUDGET_SOCKETS * this.threshold;
  }

  /**
   * Counts one refusal of a frame of `connection` (its `error` frame already queued);
   * when it is one too many, sends what is queued and closes with 1008. Answers whether
   * it closed the socket.
   */
  refuse(connection: RefusableConnection): boolean {
    if (!this.isOneTooMany(connection)) return false;
    this.cut(connection);
    return true;
  }

  /** Counts one refusal of a frame of `connection`; answers whether the socket is now over its budget. */
  isOneTooMany(connection: RefusableConnection): boolean {
    const userId = connection.user.id;
    if (this.debts.isInDebtHere(userId)) return true;
    const socketOver = this.refusals.record(connection, this.threshold);
    const accountOver = this.accountRefusals.record(userId, this.accountThreshold);
    if (accountOver) this.debts.impose(userId);
    return socketOver || accountOver;
  }

  /**
   * Sends what is queued for `connection` (its last `error` frame) and closes it with 1008,
   * reading nothing more from it; when its account is in debt, every other socket of the
   * account on this instance too.
   */
  cut(connection: RefusableConnection): void {
    connection.cutOff(CloseCode.POLICY_VIOLATION, 'too many refused frames');
    if (!this.debts.isInDebtHere(connection.user.id)) return;
    for (const other of [...this.sockets.connectionsOf(connection.user.id)])
      if (other !== connection) other.cutOff(CloseCode.POLICY_VIOLATION, 'too many refused frames on this account');
  }
}
