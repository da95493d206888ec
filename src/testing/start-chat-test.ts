import type { INestApplication, LoggerService } from '@nestjs/common';
import { TestingModuleBuilder } from '@nestjs/testing';
import {
  CHAT_MODULE_OPTIONS,
  RESOLVED_CHAT_OPTIONS,
  ChatModuleOptions,
  ResolvedChatOptions,
} from '../chat/chat.options.js';
import { resolveChatOptions } from '../chat/resolve-chat-options.js';
import { ChatWsAdapter } from '../chat/transport/chat-ws.adapter.js';
import { ChatTestApp } from './chat-test-app.js';
import { ChatTestPorts, createInMemoryPorts } from './in-memory-ports.js';
import { TestIdentity, TestIdentityStrategy } from './test-identity.js';

/** Options of `startChatTest`. */
export interface ChatTestOptions {
  /**
   * The ports the chat runs on. `'memory'` (default): fresh in-process fan-out, presence,
   * message store and rate limits. `'configured'`: the ones the module's options name
   * (SQLite, PostgreSQL, Redis). Ports given: those (shared by several instances).
   */
  ports?: 'memory' | 'configured' | ChatTestPorts;
  /** Chat options applied on top of the module's own (`{ rateLimit: null }`, `{ maxFrameBytes: 512 }`, …). */
  chat?: Partial<ChatModuleOptions>;
  /** Called with the app before it listens: the host's middleware, pipes, `enableShutdownHooks`, … */
  configure?: (app: INestApplication) => void | Promise<void>;
  /** Install `ChatWsAdapter` on the app (default true; false when `configure` installs it itself). */
  installAdapter?: boolean;
  /** The app's logger; default `false` (silent), errors included. */
  logger?: LoggerService | false;
  /** Whether a socket without a test ticket goes to the module's own strategy (default true). */
  realStrategy?: boolean;
  /** @internal called with every identity `connectAs` uses (the standalone module's user list). */
  onIdentity?: (identity: TestIdentity) => void;
}

/**
 * Compiles a host's testing module (`Test.createTestingModule({ imports: [...] })`, with
 * any `overrideProvider` already applied), puts the chat on in-memory ports (or the
 * `ports` asked for) with the test identity strategy in front of the module's own,
 * and listens on `127.0.0.1:0`. Refuses anything that is not a `TestingModuleBuilder`,
 * and refuses to run with `NODE_ENV=production`: the test identity exists only here.
 */
export async function startChatTest(
  builder: TestingModuleBuilder,
  options: ChatTestOptions = {},
): Promise<ChatTestApp> {
  if (!(builder instanceof TestingModuleBuilder))
    throw new Error('startChatTest needs a TestingModuleBuilder from @nestjs/testing (Test.createTestingModule(…))');
  if (process.env.NODE_ENV === 'production')
    throw new Error('forum-chat/testing refuses to start with NODE_ENV=production: it installs a test-only identity');
  const owned = options.ports === undefined || options.ports === 'memory' ? createInMemoryPorts() : null;
  const ports = owned ?? (options.ports === 'configured' ? null : (options.ports as ChatTestPorts));
  const identity = new TestIdentityStrategy();
  builder.overrideProvider(RESOLVED_CHAT_OPTIONS).useFactory({
    // the kit's ports, then any the test names in `chat`, take the place of the module's own
    factory: (raw: ChatModuleOptions) =>
      testOptions(
        resolveChatOptions({ ...raw, ...portOptions(ports), ...options.chat }),
        identity,
        ports !== null,
        options,
      ),
    inject: [CHAT_MODULE_OPTIONS],
  });
  const release = async () => owned?.close();
  let app: INestApplication | undefined;
  try {
    const module = await builder.compile();
    app = module.createNestApplication({ logger: options.logger ?? false });
    identity.install();
    await options.configure?.(app);
    if (options.installAdapter !== false) app.useWebSocketAdapter(new ChatWsAdapter(app));
    await app.listen(0, '127.0.0.1');
    return new ChatTestApp(app, module, identity, release, options.onIdentity);
  } catch (error) {
    await app?.close().catch(() => undefined);
    identity.uninstall();
    await release();
    throw error;
  }
}

/** The module's resolved options with the test identity in front; on the kit's ports, no Redis. */
function testOptions(
  resolved: ResolvedChatOptions,
  identity: TestIdentityStrategy,
  onTestPorts: boolean,
  options: ChatTestOptions,
): ResolvedChatOptions {
  const realStrategy = options.realStrategy === false ? null : resolved.authStrategy;
  const toPrincipal = identity.delegateTo(realStrategy, resolved.toPrincipal as never);
  const withIdentity = { ...resolved, authStrategy: identity.name, toPrincipal };
  return onTestPorts ? { ...withIdentity, redisUrl: null } : withIdentity;
}

/** Just the port options of `ports` (none for null). */
function portOptions(ports: ChatTestPorts | null): Partial<ChatModuleOptions> {
  if (!ports) return {};
  const { fanoutBus, presenceStore, messageStore, moderationStore, rateLimiter } = ports;
  return { fanoutBus, presenceStore, messageStore, moderationStore, rateLimiter };
}
