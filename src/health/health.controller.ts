import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import {
  HealthCheck,
  HealthCheckService,
  type HealthCheckResult,
  type HealthIndicatorFunction,
} from '@nestjs/terminus';
import { DatabaseHealthIndicator } from './database.health.js';
import { RedisHealthIndicator } from './redis.health.js';

/**
 * `GET /health`: 200 `{ status: "ok", info, details }` when the database (and Redis, when
 * configured) answer; otherwise 503 in the contract's error shape (`statusCode`, `error`,
 * `message` naming what is down) with Terminus's `status`, `info` and `details` alongside.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly redis: RedisHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  async check(): Promise<HealthCheckResult> {
    const checks: HealthIndicatorFunction[] = [() => this.database.check()];
    if (this.redis.configured) checks.push(() => this.redis.check());
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
