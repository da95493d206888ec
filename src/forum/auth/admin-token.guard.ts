import {
  CanActivate,
  ExecutionContext,
  Inject,
  Injectable,
  NotFoundException,
  UnauthorizedException,
} from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { FORUM_OPTIONS, type ForumOptions } from '../forum.options.js';

/** Header that carries the admin secret. */
export const ADMIN_TOKEN_HEADER = 'x-admin-token';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Lets a request through only when it presents `ADMIN_TOKEN` in `X-Admin-Token`
 * (compared in constant time). Without a configured token the admin endpoints do not
 * exist: 404. A missing or wrong token: 401.
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly expected: Buffer | null;

  constructor(@Inject(FORUM_OPTIONS) options: ForumOptions) {
    this.expected = options.adminToken ? digest(options.adminToken) : null;
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) throw new NotFoundException();
    const presented = context.switchToHttp().getRequest<Request>().headers[ADMIN_TOKEN_HEADER];
    if (typeof presented !== 'string' || !timingSafeEqual(digest(presented), this.expected)) {
      throw new UnauthorizedException('admin token required');
    }
    return true;
  }
}
