import { Injectable, Module } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import jwt from 'jsonwebtoken';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { ChatModule, ChatSessions, type ChatUserDirectory } from 'forum-chat';

const SECRET = process.env.JWT_SECRET ?? 'a-forum-secret-of-at-least-32-bytes';

/** The forum's members (here a fixed list; a real forum asks its database). */
@Injectable()
export class Members implements ChatUserDirectory {
  private readonly members = [
    { id: 1, nickname: 'moderator' },
    { id: 2, nickname: 'troll' },
    { id: 3, nickname: 'regular' },
  ];
  async findById(id: number) {
    return this.members.find((member) => member.id === id) ?? null;
  }
  async list() {
    return this.members;
  }
}

/** A forum feature: banning a member ends their chat sessions and keeps them out. */
@Injectable()
export class Bans {
  private readonly banned = new Set<number>();
  constructor(private readonly chatSessions: ChatSessions) {}

  isBanned(userId: number): boolean {
    return this.banned.has(userId);
  }

  async ban(userId: number, sessionIds: string[]): Promise<void> {
    this.banned.add(userId);
    await this.chatSessions.end(sessionIds);
  }
}

/** The forum's JWT strategy, also used by the chat's handshake; a banned member is refused. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'forum-jwt') {
  constructor(private readonly bans: Bans) {
    super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: SECRET, algorithms: ['HS256'] });
  }
  validate(payload: { sub: number; name: string; sid: string }) {
    if (this.bans.isBanned(payload.sub)) return null;
    return { id: payload.sub, nickname: payload.name, sessionKey: payload.sid };
  }
}

/** A token as the forum's login would issue it. */
export function tokenFor(userId: number, nickname: string, sessionId: string): string {
  return jwt.sign({ sub: userId, name: nickname, sid: sessionId }, SECRET, { expiresIn: 600 });
}

@Module({ providers: [Members], exports: [Members] })
class MembersModule {}

@Module({
  imports: [
    ChatModule.forRootAsync({
      imports: [MembersModule],
      inject: [Members],
      useFactory: (members: Members) => ({
        userDirectory: members,
        authStrategy: 'forum-jwt',
        databaseUrl: 'sqlite:./data/chat.db',
      }),
    }),
  ],
  providers: [Bans, JwtStrategy],
})
export class ForumModule {}
