import { Controller, Get, Res } from '@nestjs/common';
import { ChatMetrics } from './chat-metrics.js';

/** The part of the HTTP response the controller touches (Express and Fastify both have it). */
interface HeaderSink {
  setHeader(name: string, value: string): unknown;
}

/**
 * `GET /metrics`: the chat's metrics in the Prometheus text format, never cached. Opt-in:
 * add it to a module's `controllers` (where `ChatModule` is imported), or serve
 * `ChatMetrics.registry` from the host's own `/metrics`.
 */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: ChatMetrics) {}

  @Get()
  async scrape(@Res({ passthrough: true }) response: HeaderSink): Promise<string> {
    response.setHeader('Content-Type', this.metrics.registry.contentType);
    response.setHeader('Cache-Control', 'no-store');
    return this.metrics.scrape();
  }
}
