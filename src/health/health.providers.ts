import { DatabaseHealthIndicator } from './database.health.js';
import { RedisHealthIndicator } from './redis.health.js';

/** The indicators `HealthController` uses; provide them where the chat's ports are visible. */
export const healthIndicators = [DatabaseHealthIndicator, RedisHealthIndicator];
