import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Post,
  Req,
  Res,
  UseFilters,
  UseGuards,
  UsePipes,
  ValidationPipe,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { clientAddressKey } from '../../chat/index.js';
import { FORUM_OPTIONS, type ForumOptions } from '../forum.options.js';
import { SESSION_COOKIE, sessionCookieName } from '../sessions/session-request.js';
import { LoginDto, RegisterDto } from './auth.dto.js';
import { AuthService } from './auth.service.js';
import { AuthThrottle } from './auth-throttle.js';
import { DEVICE_COOKIE, DEVICE_COOKIE_TTL_MS, DeviceCookies, deviceCookieName } from './device-cookies.js';
import { TooManyAttemptsFilter } from './too-many-attempts.filter.js';
import { AuthenticatedUser } from './authenticated-user.js';
import { ForumSessionGuard } from './forum-session.guard.js';

/**
 * `POST /api/auth/register|login|logout`, `GET /api/auth/me`, as the contract states.
 * Registration and login are rate-limited (`AuthThrottle`): over a limit, 429 with
 * `Retry-After`, checked after the body is validated and before any password work.
 */
@Controller('api/auth')
@UseFilters(TooManyAttemptsFilter)
@UsePipes(new ValidationPipe({ whitelist: true, forbidUnknownValues: true }))
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly throttle: AuthThrottle,
    private readonly devices: DeviceCookies,
    @Inject(FORUM_OPTIONS) private readonly options: ForumOptions,
  ) {}

  @Post('register')
  async register(@Body() dto: RegisterDto, @Req() request: Request) {
    await this.throttle.register(request.socket.remoteAddress);
    return this.auth.register(dto, clientAddressKey(request.socket.remoteAddress));
  }

  /**
   * A login presenting a valid device cookie of the account it names comes from a known
   * device (`DeviceCookies`): throttled per device, hashed ahead of anonymous logins. Every
   * successful login gets a fresh device cookie for its account. The address limit is
   * checked before the account is looked up, the per-login one before any hashing.
   */
  @Post('login')
  @HttpCode(200)
  async login(@Body() dto: LoginDto, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const address = request.socket.remoteAddress;
    await this.throttle.loginFromAddress(address);
    const account = await this.auth.findAccount(dto.login);
    const device = this.devices.recognize(request.headers, account?.id ?? null);
    await this.throttle.loginOfAccount(dto.login, account?.id ?? null, device);
    const from = { address: clientAddressKey(address), knownDevice: device !== null };
    const { user, token, expiresAt } = await this.auth.login(dto, account, from);
    const secure = this.options.cookieSecure;
    response.cookie(sessionCookieName(secure), token, { ...this.cookieAttributes(), expires: new Date(expiresAt) });
    response.cookie(deviceCookieName(secure), this.devices.issue(user.id), {
      ...this.cookieAttributes(),
      sameSite: 'strict',
      maxAge: DEVICE_COOKIE_TTL_MS,
    });
    // behind TLS, cookies of the former names from an earlier login are replaced by the prefixed ones
    if (secure) {
      response.clearCookie(SESSION_COOKIE, this.cookieAttributes());
      response.clearCookie(DEVICE_COOKIE, { ...this.cookieAttributes(), sameSite: 'strict' });
    }
    return user;
  }

  @Post('logout')
  @HttpCode(204)
  @UseGuards(ForumSessionGuard)
  async logout(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
    await this.auth.logout((request.user as AuthenticatedUser).sessionKey);
    response.clearCookie(sessionCookieName(this.options.cookieSecure), this.cookieAttributes());
    if (this.options.cookieSecure) response.clearCookie(SESSION_COOKIE, this.cookieAttributes());
  }

  /** `HttpOnly; SameSite=Lax; Path=/`, `Secure` under `COOKIE_SECURE=true`, never a `Domain`. */
  private cookieAttributes() {
    return { httpOnly: true, sameSite: 'lax' as const, path: '/', secure: this.options.cookieSecure };
  }

  @Get('me')
  @UseGuards(ForumSessionGuard)
  me(@Req() request: Request) {
    const user = request.user as AuthenticatedUser;
    return { id: user.id, nickname: user.nickname };
  }
}
