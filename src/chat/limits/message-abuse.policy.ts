import { Inject, Injectable } from '@nestjs/common';
import { ChatError } from '../chat.errors.js';
import { CHAT_OPTIONS, type ResolvedChatOptions } from '../chat.options.js';
import { ABUSE_BURST_FACTOR, SustainedAbuse } from './sustained-abuse.js';

/** Frame types whose `rate_limited` refusals count toward sustained abuse. */
const MESSAGE_TYPES: ReadonlySet<unknown> = new Set(['chat_message', 'private_message']);

/**
 * When a socket's message refusals become abuse: a socket whose `chat_message` /
 * `private_message` frames were refused as `rate_limited` more than 3 × burst times
 * within 10 s (the transport then closes it with 1008 after that last `error` frame).
 * Nothing counts while the message rate limit is off.
 */
@Injectable()
export class MessageAbusePolicy {
  private readonly abuse = new SustainedAbuse();

  constructor(@Inject(CHAT_OPTIONS) private readonly options: ResolvedChatOptions) {}

  /** Records that a `frameType` frame of `socket` failed with `error`; true when the socket is now abusive. */
  isAbusiveAfter(error: unknown, frameType: unknown, socket: object): boolean {
    const burst = this.options.rateLimit?.burst;
    if (!burst || !(error instanceof ChatError) || error.code !== 'rate_limited') return false;
    if (!MESSAGE_TYPES.has(frameType)) return false;
    return this.abuse.record(socket, ABUSE_BURST_FACTOR * burst);
  }
}
