import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { ChatError } from '../chat.errors.js';
import { fastValidate } from './ws-validation.fast-path.js';

function firstProblem(errors: ValidationError[]): string {
  for (const error of errors) {
    const constraint = Object.values(error.constraints ?? {})[0];
    if (constraint) return constraint;
    const nested = firstProblem(error.children ?? []);
    if (nested) return nested;
  }
  return 'invalid message';
}

/** Nest's `ValidationPipe`, after the fast path of the hot frames (`fastValidate`). */
class FastPathValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    return fastValidate(metadata.metatype, value) ?? super.transform(value, metadata);
  }
}

/**
 * class-validator for inbound frames: unknown fields are stripped (identity fields sent
 * by a client are ignored), nothing is coerced, and a failure raises a `ChatError`
 * (`invalid_message`, the first problem in one sentence), never an HTTP exception.
 * Plainly valid `chat_message`, `private_message` and `resume` frames skip class-transformer
 * and class-validator (`fastValidate`), with the same result.
 */
export function createWsValidationPipe(): ValidationPipe {
  return new FastPathValidationPipe({
    transform: true,
    whitelist: true,
    forbidUnknownValues: false,
    stopAtFirstError: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ChatError('invalid_message', firstProblem(errors)),
  });
}
