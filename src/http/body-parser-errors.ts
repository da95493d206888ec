import type { NextFunction, Request, Response } from 'express';

/**
 * Express error handler for what the JSON body parser rejects (malformed JSON 400, too
 * large 413, unsupported charset 415): answers in Nest's error shape, never with a stack
 * trace. Other errors go on to the next handler.
 */
export function bodyParserErrors(error: unknown, _request: Request, response: Response, next: NextFunction): void {
  const status = (error as { status?: unknown; type?: unknown }).status;
  const type = (error as { type?: unknown }).type;
  if (typeof status !== 'number' || typeof type !== 'string' || response.headersSent) return next(error);
  const messages: Record<number, [string, string]> = {
    400: ['Bad Request', 'request body is not valid JSON'],
    413: ['Payload Too Large', 'request body is too large'],
    415: ['Unsupported Media Type', 'unsupported request body encoding'],
  };
  const [label, message] = messages[status] ?? ['Bad Request', 'invalid request body'];
  response
    .status(status in messages ? status : 400)
    .json({ statusCode: status in messages ? status : 400, error: label, message });
}
