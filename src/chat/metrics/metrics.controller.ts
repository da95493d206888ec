import { Controller, Get, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ChatMetrics } from './chat-metrics.js';

/** `GET /metrics`: the chat's metrics in the Prometheus text format, never cached. */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: ChatMetrics) {}

  @Get()
  async scrape(@Res({ passthrough: true }) response: Response): Promise<string> {
    response.setHeader('Content-Type', this.metrics.registry.contentType);
    response.setHeader('Cache-Control', 'no-store');
    return this.metrics.scrape();
  }
}
