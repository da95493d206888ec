import { Logger } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig } from './config/app-config.js';
import { createApp } from './create-app.js';
import { retiredSettingsIn } from './config/retired-settings.js';

/** Longest a SIGTERM/SIGINT shutdown may take before the process exits anyway. */
const SHUTDOWN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  for (const notice of retiredSettingsIn(process.env)) new Logger('Config').warn(notice);
  let app;
  try {
    app = await createApp(config);
    await app.listen(config.port);
  } catch (error) {
    process.stderr.write(`forum-chat could not start: ${(error as Error).message.split('\n')[0]}\n`);
    process.exit(1);
  }
  const { port } = app.getHttpServer().address() as AddressInfo;
  new Logger('Main').log(`forum-chat listening on port ${port}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    new Logger('Main').log(`${signal} received, shutting down`);
    setTimeout(() => process.exit(1), SHUTDOWN_DEADLINE_MS).unref();
    void app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

await main();
