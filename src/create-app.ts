import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule, ChatOverrides } from './app.module.js';
import { ChatWsAdapter } from './chat/transport/chat-ws.adapter.js';
import { AppConfig } from './config/app-config.js';

/** Largest JSON body the HTTP endpoints accept. */
const JSON_BODY_LIMIT = '16kb';

/**
 * Builds the standalone server (not yet listening): HTTP endpoints with validated JSON
 * bodies, the chat's WebSocket adapter on the same port.
 */
export async function createApp(
  config: AppConfig,
  options: { overrides?: ChatOverrides; logger?: false | undefined } = {},
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options.overrides), {
    bodyParser: false,
    logger: options.logger === false ? false : undefined,
  });
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT });
  app.useWebSocketAdapter(new ChatWsAdapter(app));
  return app;
}
