import type { Logger } from '@nestjs/common';
import { FanoutBus, FanoutEnvelope, FanoutHandler, FanoutUnavailableError } from './fanout.bus.js';

/**
 * The one policy for a bus that refuses, used by every publisher (messages, typing,
 * presence, session end): publishes `envelope` and never rejects. An outage
 * (`FanoutUnavailableError`) was already reported once by the bus and is not logged again;
 * any other refusal is one warning naming `what`. Nothing is ever sent to a client for it:
 * what depended on the envelope (a stored message, a revocation) is recovered another way.
 * Answers whether the bus took the envelope.
 */
export async function publishOnBus(
  bus: FanoutBus,
  envelope: FanoutEnvelope,
  what: string,
  logger: Pick<Logger, 'warn'>,
): Promise<boolean> {
  try {
    await bus.publish(envelope);
    return true;
  } catch (error) {
    if (!(error instanceof FanoutUnavailableError)) logger.warn(`${what} not published: ${(error as Error).message}`);
    return false;
  }
}

/**
 * Hands `envelope` to every subscriber, in subscription order, the same way on every bus:
 * a subscriber that throws is reported (one ERROR line) and the others still get it.
 */
export function handOutIsolated(
  handlers: readonly FanoutHandler[],
  envelope: FanoutEnvelope,
  logger: Pick<Logger, 'error'>,
): void {
  for (const handler of handlers) {
    try {
      handler(envelope);
    } catch (error) {
      logger.error(`fan-out subscriber failed on a "${envelope.kind}" envelope: ${(error as Error).message}`);
    }
  }
}
