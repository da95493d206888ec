import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { FanoutBus } from './chat/fanout/fanout.bus.js';
import { MessageStore } from './chat/history/message.store.js';

/** `GET /health`: 200 when the database and the fan-out bus (Redis, in cluster mode) answer, 503 otherwise. */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(MessageStore) private readonly messages: MessageStore,
    @Inject(FanoutBus) private readonly bus: FanoutBus,
  ) {}

  @Get()
  async check() {
    const database = await this.messages.ping().catch(() => false);
    const bus = this.bus.isHealthy?.() ?? true;
    const status = { status: database && bus ? 'ok' : 'error', database: database ? 'up' : 'down', fanout: bus ? 'up' : 'down' };
    if (!database || !bus) throw new ServiceUnavailableException(status);
    return status;
  }
}
