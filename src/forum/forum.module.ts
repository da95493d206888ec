import { randomBytes } from 'node:crypto';
import { DynamicModule, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { CHAT_DEFAULTS, createRateLimiter } from '../chat/index.js';
import { AdminController } from './auth/admin.controller.js';
import { AdminTokenGuard } from './auth/admin-token.guard.js';
import { AuthController } from './auth/auth.controller.js';
import { AUTH_RATE_LIMITER, AuthThrottle } from './auth/auth-throttle.js';
import { AuthService } from './auth/auth.service.js';
import { ForumSessionGuard } from './auth/forum-session.guard.js';
import { ForumSessionStrategy } from './auth/forum-session.strategy.js';
import { DeviceCookies } from './auth/device-cookies.js';
import { HASHING_BOUND_DEFAULTS, HashingGate } from './auth/hashing-gate.js';
import { OWASP_ARGON2ID } from './auth/argon2id-parameters.js';
import { PasswordHasher } from './auth/password-hasher.js';
import { FORUM_OPTIONS, ForumOptions } from './forum.options.js';
import { type ForumStores, openForumStores } from './forum-stores.js';
import { ForumUserDirectory } from './forum-user.directory.js';
import { SessionCheckCache } from './sessions/session-check.cache.js';
import { SessionEndedEvents } from './sessions/session-ended.events.js';
import { SessionStore } from './sessions/session.store.js';
import { UserStore } from './users/user.store.js';
import { ForumRoomPolicy } from './rooms/forum-room.policy.js';
import { RoomAccessEvents } from './rooms/room-access.events.js';
import { RoomsAdminController } from './rooms/rooms-admin.controller.js';
import { RoomStore } from './rooms/room.store.js';

const FORUM_STORES = Symbol('FORUM_STORES');

/**
 * The stand-in forum backend: users, hashed sessions, rooms, the auth and admin endpoints
 * and the `forum-session` Passport strategy. A team with its own forum replaces this module
 * and gives the chat its own strategy, `ChatUserDirectory` and `ChatRoomPolicy`.
 */
@Module({})
export class ForumModule implements OnApplicationShutdown {
  constructor(@Inject(FORUM_STORES) private readonly stores: ForumStores) {}

  static forRoot(options: ForumOptions): DynamicModule {
    return {
      module: ForumModule,
      imports: [PassportModule],
      controllers: [AuthController, AdminController, RoomsAdminController],
      providers: [
        { provide: FORUM_OPTIONS, useValue: options },
        { provide: FORUM_STORES, useFactory: () => openForumStores(options.databaseUrl) },
        { provide: UserStore, useFactory: (stores: ForumStores) => stores.users, inject: [FORUM_STORES] },
        { provide: SessionStore, useFactory: (stores: ForumStores) => stores.sessions, inject: [FORUM_STORES] },
        { provide: RoomStore, useFactory: (stores: ForumStores) => stores.rooms, inject: [FORUM_STORES] },
        RoomAccessEvents,
        ForumRoomPolicy,
        {
          provide: AUTH_RATE_LIMITER,
          useFactory: () =>
            createRateLimiter(
              options.redisUrl ?? null,
              options.redisKeyPrefix ?? CHAT_DEFAULTS.redisKeyPrefix,
              'auth-rate',
            ),
        },
        AuthThrottle,
        { provide: HashingGate, useFactory: () => new HashingGate(options.passwordHashing ?? HASHING_BOUND_DEFAULTS) },
        {
          provide: DeviceCookies,
          useFactory: () => new DeviceCookies(options.deviceSecret ?? processDeviceSecret(options)),
        },
        { provide: PasswordHasher, useFactory: () => new PasswordHasher(options.argon2id ?? OWASP_ARGON2ID) },
        AdminTokenGuard,
        SessionEndedEvents,
        {
          provide: SessionCheckCache,
          useFactory: (store: SessionStore, events: SessionEndedEvents) => new SessionCheckCache(store, events),
          inject: [SessionStore, SessionEndedEvents],
        },
        AuthService,
        ForumSessionStrategy,
        ForumSessionGuard,
        ForumUserDirectory,
      ],
      exports: [
        AuthService,
        SessionEndedEvents,
        RoomAccessEvents,
        ForumUserDirectory,
        ForumRoomPolicy,
        ForumSessionGuard,
        AdminTokenGuard,
        FORUM_OPTIONS,
        UserStore,
        SessionStore,
        RoomStore,
      ],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stores.close();
  }
}

/**
 * A random device secret for this process, when none is configured; in cluster mode it
 * warns once that device cookies are then honoured only by the instance that issued them.
 */
function processDeviceSecret(options: ForumOptions): string {
  if (options.redisUrl)
    new Logger('ForumModule').warn(
      'AUTH_DEVICE_SECRET (deviceSecret) is unset in cluster mode: device cookies are honoured only by the instance that issued them, until it restarts',
    );
  return randomBytes(32).toString('base64url');
}
