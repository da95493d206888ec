import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthCheckResult,
  type HealthIndicatorFunction,
} from '@nestjs/terminus';
import { ChatHealth } from '../chat/index.js';

/**
 * `GET /health`: 200 `{ status: "ok", info, details }` when the database (and Redis, when
 * configured) answer; otherwise 503 in the contract's error shape (`statusCode`, `error`,
 * `message` naming what is down) with Terminus's `status`, `info` and `details` alongside.
 * Built on the chat's exported `ChatHealth`, as a host's own Terminus endpoint would be.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly chatHealth: ChatHealth,
  ) {}

  @Get()
  @HealthCheck()
  async check(): Promise<HealthCheckResult> {
    const checks: HealthIndicatorFunction[] = this.chatHealth.probes().map((probe) => async () => {
      const indicator = this.indicators.check(probe.key);
      return (await probe.isUp()) ? indicator.up() : indicator.down({ message: probe.downMessage });
    });
    try {
      return await this.health.check(checks);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      const result = error.getResponse() as HealthCheckResult;
      throw new ServiceUnavailableException({
        statusCode: 503,
        error: 'Service Unavailable',
        message: `down: ${Object.keys(result.error ?? {}).join(', ')}`,
        status: result.status,
        info: result.info,
        details: result.details,
      });
    }
  }
}
