import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { isOriginAllowed } from '../chat/index.js';
import { STATE_CHANGING_METHODS } from './json-only.middleware.js';

/**
 * Cross-site request forgery defence: a state-changing request whose `Origin` is not
 * allowed gets 403 in Nest's error shape, whatever cookie it carries. The rule is the
 * one of the WebSocket handshake: `allowed` origins exactly, or (null) the request's own
 * host and port; a request without `Origin` (not from a browser) passes.
 */
export function sameOriginOnly(allowed: string[] | null): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    if (!STATE_CHANGING_METHODS.has(request.method)) return next();
    if (isOriginAllowed(request.headers.origin, request.headers.host, allowed)) return next();
    response.status(403).json({ statusCode: 403, error: 'Forbidden', message: 'cross-site request refused' });
  };
}
