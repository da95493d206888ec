import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { ChatWsAdapter } from 'forum-chat';
import { AppModule } from './app.module.js';

try {
  const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'], abortOnError: false });
  app.useWebSocketAdapter(new ChatWsAdapter(app));
  app.enableShutdownHooks();
  await app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
  console.log(`listening on ${(app.getHttpServer().address() as AddressInfo).port}`);
} catch (error) {
  console.error(`could not start: ${(error as Error).message}`);
  process.exit(1);
}
