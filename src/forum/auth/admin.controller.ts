import { Controller, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { AdminTokenGuard } from './admin-token.guard.js';
import { AuthService } from './auth.service.js';
import { PositiveIdPipe } from './positive-id.pipe.js';

/**
 * Administration of the stand-in forum, behind `ADMIN_TOKEN` (header `X-Admin-Token`).
 * `POST /api/admin/users/:id/revoke-sessions` revokes every live session of the user and
 * answers `{ "revoked": <count> }`; each socket opened with one of them closes with 4401.
 * An id that is not a positive integer is refused with 400.
 */
@Controller('api/admin')
@UseGuards(AdminTokenGuard)
export class AdminController {
  constructor(private readonly auth: AuthService) {}

  @Post('users/:id/revoke-sessions')
  @HttpCode(200)
  async revokeSessions(@Param('id', PositiveIdPipe) userId: number) {
    return { revoked: await this.auth.revokeAllSessions(userId) };
  }
}
