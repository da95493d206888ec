import { Body, Controller, Injectable, Post, UnauthorizedException } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import jwt from 'jsonwebtoken';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { UsersService } from './users.js';

export const JWT_SECRET = process.env.JWT_SECRET ?? 'a-scratch-secret-of-at-least-32-bytes';

/** The app's own JWT strategy, unchanged from Nest's sample: it knows nothing of the chat. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy) {
  constructor() {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      ignoreExpiration: false,
      secretOrKey: JWT_SECRET,
    });
  }

  validate(payload: { sub: number; username: string }) {
    return { userId: payload.sub, username: payload.username };
  }
}

/** `POST /auth/login` → `{ access_token }`; `ttl` (seconds, default 3600) lets a test ask for a short one. */
@Controller('auth')
export class AuthController {
  constructor(private readonly users: UsersService) {}

  @Post('login')
  login(@Body() body: { username?: string; password?: string; ttl?: number }) {
    const user = this.users.findOne(body.username ?? '');
    if (!user || user.password !== body.password) throw new UnauthorizedException();
    const payload = { sub: user.userId, username: user.username };
    return { access_token: jwt.sign(payload, JWT_SECRET, { expiresIn: body.ttl ?? 3600 }) };
  }
}
