import { Controller, Get, Module, Res, ServiceUnavailableException } from '@nestjs/common';
import { ChatHealth, ChatMetrics, ChatModule, type ChatUserDirectory } from 'forum-chat';
import { AuthController, JwtStrategy } from './auth.js';
import { EchoGateway } from './echo.gateway.js';
import { UsersService } from './users.js';

@Module({ providers: [UsersService], exports: [UsersService] })
class UsersModule {}

/** `/health` and `/metrics` of the app, with the chat's probes and registry. */
@Controller()
class OperationsController {
  constructor(
    private readonly chatHealth: ChatHealth,
    private readonly chatMetrics: ChatMetrics,
  ) {}

  @Get('health')
  async health() {
    const results = await Promise.all(
      this.chatHealth.probes().map(async (probe) => [probe.key, (await probe.isUp()) ? 'up' : 'down'] as const),
    );
    if (results.some(([, status]) => status === 'down')) throw new ServiceUnavailableException(results);
    return { status: 'ok', info: Object.fromEntries(results) };
  }

  @Get('metrics')
  async metrics(@Res({ passthrough: true }) response: { setHeader(name: string, value: string): void }) {
    response.setHeader('Content-Type', this.chatMetrics.registry.contentType);
    return this.chatMetrics.registry.metrics();
  }
}

@Module({
  imports: [
    UsersModule,
    ChatModule.forRootAsync({
      imports: [UsersModule],
      inject: [UsersService],
      useFactory: (users: UsersService) => ({
        authStrategy: 'jwt',
        toPrincipal: (user: { userId: number; username: string }) => ({ id: user.userId, nickname: user.username }),
        userDirectory: {
          findById: async (id) => {
            const user = users.findById(id);
            return user ? { id: user.userId, nickname: user.username } : null;
          },
          list: async () => users.all().map((user) => ({ id: user.userId, nickname: user.username })),
        } satisfies ChatUserDirectory,
        databaseUrl: process.env.DATABASE_URL!,
      }),
    }),
  ],
  controllers: [AuthController, OperationsController],
  providers: [JwtStrategy, EchoGateway],
})
export class AppModule {}
