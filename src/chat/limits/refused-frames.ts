import { Inject, Injectable } from '@nestjs/common';
import { RESOLVED_CHAT_OPTIONS, type ResolvedChatOptions } from '../chat.options.js';
import { CloseCode } from '../protocol/close-codes.js';
import { AccountRefusals } from './account-refusals.js';
import { ABUSE_BURST_FACTOR, SustainedAbuse } from './sustained-abuse.js';

/** The burst the abuse threshold is reckoned from when `CHAT_RATE_LIMIT` is off (the default burst). */
export const DEFAULT_ABUSE_BURST = 10;

/** Sockets of one account that may spend the per-socket budget before the account's is spent too. */
export const ACCOUNT_BUDGET_SOCKETS = 2;

/** A socket the policy can close: the connection that owns it, and its account. */
export interface RefusableConnection {
  readonly user: { readonly id: number };
  flushAndClose(code: number, reason?: string): void;
}

/**
 * The price of a refused frame. Every frame a socket sends that is answered with an
 * `error` frame — not JSON, unknown type, invalid field, unknown recipient, `rate_limited`
 * of any kind — counts against that socket and against its account; at more than
 * 3 × burst (burst of `CHAT_RATE_LIMIT`, 10 when it is off) within 10 s on the socket, or
 * more than `ACCOUNT_BUDGET_SOCKETS` times that across all of the account's sockets, the
 * socket gets its last `error` frame and is closed with 1008 (while the account is over
 * its budget, each further refusal closes the socket it came from). This is the
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

  constructor(@Inject(RESOLVED_CHAT_OPTIONS) options: Pick<ResolvedChatOptions, 'rateLimit'>) {
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
    const socketOver = this.refusals.record(connection, this.threshold);
    const accountOver = this.accountRefusals.record(connection.user.id, this.accountThreshold);
    return socketOver || accountOver;
  }

  /** Sends what is queued for `connection` (its last `error` frame) and closes it with 1008. */
  cut(connection: RefusableConnection): void {
    connection.flushAndClose(CloseCode.POLICY_VIOLATION, 'too many refused frames');
  }
}
