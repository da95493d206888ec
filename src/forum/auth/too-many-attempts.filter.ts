import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { TooManyAttemptsException } from './auth-throttle.js';
import { HashingBusyException } from './hashing-gate.js';

/**
 * Answers `TooManyAttemptsException` (429) and `HashingBusyException` (503) with Nest's
 * error body and the `Retry-After` header.
 */
@Catch(TooManyAttemptsException, HashingBusyException)
export class TooManyAttemptsFilter implements ExceptionFilter {
  catch(exception: TooManyAttemptsException | HashingBusyException, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    response.status(exception.getStatus()).json(exception.getResponse());
  }
}
