import { ValidationError, ValidationPipe } from '@nestjs/common';
import { ChatError } from '../chat.errors.js';

function firstProblem(errors: ValidationError[]): string {
  for (const error of errors) {
    const constraint = Object.values(error.constraints ?? {})[0];
    if (constraint) return constraint;
    const nested = firstProblem(error.children ?? []);
    if (nested) return nested;
  }
  return 'invalid message';
}

/**
 * class-validator for inbound frames: unknown fields are stripped (identity fields sent
 * by a client are ignored), nothing is coerced, and a failure raises a `ChatError`
 * (`invalid_message`, the first problem in one sentence), never an HTTP exception.
 */
export function createWsValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    transform: true,
    whitelist: true,
    forbidUnknownValues: false,
    stopAtFirstError: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ChatError('invalid_message', firstProblem(errors)),
  });
}
