import type { INestApplication, LoggerService } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatOverrides } from '../../src/app.module.js';
import { AppConfig, loadConfig } from '../../src/config/app-config.js';
import { createApp } from '../../src/create-app.js';
import { TEST_HASHING_ENV } from './test-hashing.js';

/** A running forum-chat on 127.0.0.1 with a random port and its own database folder. */
export interface TestApp {
  /** The app (on a cluster, the first instance). */
  app: INestApplication;
  /** Every instance behind `baseUrl`: `[app]` for one app, all of them on a cluster. */
  apps: INestApplication[];
  config: AppConfig;
  port: number;
  baseUrl: string;
  wsUrl: string;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * Starts the real server (`createApp`) on `listen(0)` with a fresh SQLite file and the
 * given environment on top of the defaults and `TEST_HASHING_ENV`. Logging is off unless `FORUM_CHAT_TEST_LOGS` is set
 * or a `logger` is given (a test that captures the log lines).
 */
export async function startTestApp(
  env: Record<string, string> = {},
  options: { overrides?: ChatOverrides; dataDir?: string; logger?: LoggerService } = {},
): Promise<TestApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'forum-chat-'));
  const config = loadConfig({ DATABASE_URL: `sqlite:${join(dataDir, 'chat.db')}`, ...TEST_HASHING_ENV, ...env });
  const app = await createApp(config, {
    overrides: options.overrides,
    logger: options.logger ?? (process.env.FORUM_CHAT_TEST_LOGS ? undefined : false),
  });
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  return {
    app,
    apps: [app],
    config,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    dataDir,
    close: async () => {
      await app.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
