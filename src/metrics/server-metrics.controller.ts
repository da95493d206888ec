import { Controller, Get, Res } from '@nestjs/common';
import { Registry } from 'prom-client';
import { ChatMetrics } from '../chat/index.js';
import { processMetricsRegistry } from './process-metrics.js';

/** The part of the HTTP response the controller touches. */
interface HeaderSink {
  setHeader(name: string, value: string): unknown;
}

/**
 * The standalone server's `GET /metrics`, never cached: the chat's series (`ChatMetrics`,
 * this app's own registry) followed by the process's default metrics
 * (`processMetricsRegistry`). An app that embeds the chat decides for its own registry;
 * the chat itself never collects process metrics.
 */
@Controller('metrics')
export class ServerMetricsController {
  constructor(private readonly chatMetrics: ChatMetrics) {}

  @Get()
  async scrape(@Res({ passthrough: true }) response: HeaderSink): Promise<string> {
    const registry = Registry.merge([this.chatMetrics.registry, processMetricsRegistry()]);
    response.setHeader('Content-Type', registry.contentType);
    response.setHeader('Cache-Control', 'no-store');
    return registry.metrics();
  }
}
