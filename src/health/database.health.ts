import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { MessageStore } from '../chat/history/message.store.js';
import { within } from './within.js';

/** Longest a database ping may take before the database counts as down. */
export const DATABASE_PING_TIMEOUT_MS = 2_000;

/**
 * `database`: up when the message store answers a ping (a query on its connection)
 * within `DATABASE_PING_TIMEOUT_MS`; down when it fails, throws or hangs.
 */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(MessageStore) private readonly messages: MessageStore,
  ) {}

  async check() {
    const session = this.indicators.check('database');
    const up = await within(DATABASE_PING_TIMEOUT_MS, () => this.messages.ping());
    return up ? session.up() : session.down({ message: 'the database does not answer' });
  }
}
