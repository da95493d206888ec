import { INestApplication, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { fileURLToPath } from 'node:url';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule, ChatOverrides } from './app.module.js';
import { ChatWsAdapter } from './chat/transport/chat-ws.adapter.js';
import { AppConfig } from './config/app-config.js';
import { JsonLogger } from './logging/json.logger.js';

/** The chat web page (`public/`, beside `src/` and `dist/`), served at `/`. */
const PUBLIC_DIR = fileURLToPath(new URL('../public', import.meta.url));

/** Largest JSON body the HTTP endpoints accept. */
const JSON_BODY_LIMIT = '16kb';

/**
 * Builds the standalone server (not yet listening): HTTP endpoints with validated JSON
 * bodies, the chat's WebSocket adapter on the same port. Logs are JSON lines
 * (`JsonLogger`) unless `logger` gives another logger, or `false` for none.
 */
export async function createApp(
  config: AppConfig,
  options: { overrides?: ChatOverrides; logger?: false | LoggerService } = {},
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options.overrides), {
    bodyParser: false,
    logger: options.logger ?? new JsonLogger(),
  });
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT });
  app.useWebSocketAdapter(new ChatWsAdapter(app));
  app.useStaticAssets(PUBLIC_DIR);
  return app;
}
