import type { NextFunction, Request, Response } from 'express';

/** Methods whose requests change state and may carry a body. */
export const STATE_CHANGING_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function hasBody(request: Request): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * Refuses, with 415 in Nest's error shape, a state-changing request that carries a body
 * of any type other than `application/json` (a form post, text, multipart). Requests
 * without a body (`POST /api/auth/logout`) pass.
 */
export function jsonOnly(request: Request, response: Response, next: NextFunction): void {
  if (!STATE_CHANGING_METHODS.has(request.method) || !hasBody(request)) return next();
  const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/json') return next();
  response
    .status(415)
    .json({ statusCode: 415, error: 'Unsupported Media Type', message: 'request bodies must be application/json' });
}
