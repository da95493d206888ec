import { INestApplication, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { fileURLToPath } from 'node:url';
import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { AppModule, ChatOverrides } from './app.module.js';
import { ChatWsAdapter } from './chat/index.js';
import { AppConfig } from './config/app-config.js';
import { JsonLogger } from './logging/json.logger.js';

import { bodyParserErrors } from './http/body-parser-errors.js';
import { jsonOnly } from './http/json-only.middleware.js';
import { sameOriginOnly } from './http/same-origin.middleware.js';

/** The chat web page (`public/`, beside `src/` and `dist/`), served at `/`. */
const PUBLIC_DIR = fileURLToPath(new URL('../public', import.meta.url));

/** Largest JSON body the HTTP endpoints accept (larger: 413). */
const JSON_BODY_LIMIT = '16kb';

/**
 * Builds the standalone server (not yet listening): security headers (helmet) on every
 * answer; state-changing requests only from an allowed `Origin` (403) and only with JSON
 * bodies (415) of at most 16 kB (413); the chat page at `/`; the chat's WebSocket adapter
 * on the same port. Bodies are validated by each controller's own pipe: a global pipe
 * would also run on the gateway's frames. Logs are JSON lines (`JsonLogger`) unless
 * `logger` gives another logger, or `false` for none.
 */
export async function createApp(
  config: AppConfig,
  options: { overrides?: ChatOverrides; logger?: false | LoggerService } = {},
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options.overrides), {
    bodyParser: false,
    abortOnError: false,
    logger: options.logger ?? new JsonLogger(),
  });
  app.disable('x-powered-by');
  app.use(
    helmet({
      // Behind TLS only (COOKIE_SECURE=true): pinning HTTPS on a plain-HTTP deployment would lock users out.
      strictTransportSecurity: config.cookieSecure ? undefined : false,
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: config.cookieSecure ? [] : null } },
    }),
  );
  app.use(sameOriginOnly(config.chat.allowedOrigins ?? null));
  app.use(jsonOnly);
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT });
  app.use(bodyParserErrors);
  app.useWebSocketAdapter(new ChatWsAdapter(app));
  app.useStaticAssets(PUBLIC_DIR);
  return app;
}
