import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ChatModule, type ChatModuleOptions } from './chat/index.js';
import { AppConfig } from './config/app-config.js';
import { ChatModerationAdminController } from './chat-moderation-admin.controller.js';
import { ForumChatBridge } from './forum-chat.bridge.js';
import { ForumRoomsBridge } from './forum-rooms.bridge.js';
import { FORUM_SESSION_STRATEGY } from './forum/auth/forum-session.strategy.js';
import { ForumModule } from './forum/forum.module.js';
import { ForumUserDirectory } from './forum/forum-user.directory.js';
import { ForumRoomPolicy } from './forum/rooms/forum-room.policy.js';
import { HealthController } from './health/health.controller.js';
import { ServerMetricsController } from './metrics/server-metrics.controller.js';

/** Ports or settings a caller (a test, a cluster harness) can hand to the chat directly. */
export type ChatOverrides = Partial<
  Pick<
    ChatModuleOptions,
    | 'fanoutBus'
    | 'presenceStore'
    | 'messageStore'
    | 'moderationStore'
    | 'rateLimiter'
    | 'connectionLimiter'
    | 'presenceChangesPerFrame'
  >
>;

/**
 * forum-chat as a standalone server: the stand-in forum (users, sessions, auth
 * endpoints) plus the chat, configured from one `AppConfig`.
 */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, overrides: ChatOverrides = {}): DynamicModule {
    const forum = ForumModule.forRoot({
      databaseUrl: config.chat.databaseUrl,
      sessionTtlSeconds: config.sessionTtlSeconds,
      cookieSecure: config.cookieSecure,
      redisUrl: config.chat.redisUrl,
      redisKeyPrefix: config.chat.redisKeyPrefix,
      authRateLimits: config.authRateLimits,
      passwordHashing: config.passwordHashing,
      argon2id: config.argon2id,
      adminToken: config.adminToken,
      deviceSecret: config.deviceSecret,
    });
    return {
      module: AppModule,
      imports: [
        forum,
        ChatModule.forRootAsync({
          imports: [forum],
          inject: [ForumUserDirectory, ForumRoomPolicy],
          useFactory: (userDirectory: ForumUserDirectory, roomPolicy: ForumRoomPolicy): ChatModuleOptions => ({
            userDirectory,
            roomPolicy,
            authStrategy: FORUM_SESSION_STRATEGY,
            ...config.chat,
            ...overrides,
          }),
        }),
        TerminusModule,
      ],
      controllers: [HealthController, ServerMetricsController, ChatModerationAdminController],
      providers: [ForumChatBridge, ForumRoomsBridge],
    };
  }
}
