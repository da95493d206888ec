import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { MessageStore } from './chat/history/message.store.js';

/** `GET /health`: 200 when the database answers, 503 otherwise. */
@Controller('health')
export class HealthController {
  constructor(@Inject(MessageStore) private readonly messages: MessageStore) {}

  @Get()
  async check() {
    const database = await this.messages.ping().catch(() => false);
    if (!database) throw new ServiceUnavailableException({ status: 'error', database: 'down' });
    return { status: 'ok', database: 'up' };
  }
}
