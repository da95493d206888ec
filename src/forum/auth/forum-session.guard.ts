import { Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { FORUM_SESSION_STRATEGY } from './forum-session.strategy.js';

/** HTTP guard: 401 unless the request presents a live forum session; sets `request.user`. */
@Injectable()
export class ForumSessionGuard extends AuthGuard(FORUM_SESSION_STRATEGY) {}
