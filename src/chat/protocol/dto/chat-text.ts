import { ValidateBy, ValidationOptions } from 'class-validator';

/**
 * What text a client may send (`content`, `client_id`): any Unicode text except
 * - C0 control characters other than tab (U+0009) and newline (U+000A), so no NUL,
 *   carriage return, escape sequences or bells;
 * - DEL (U+007F) and the C1 controls (U+0080–U+009F);
 * - lone surrogates (UTF-16 halves without their pair), which have no UTF-8 form and
 *   would be stored as something other than what was acknowledged.
 * Everything else (emoji, combining marks, zero-width joiners, right-to-left text) is
 * allowed and stored exactly as received.
 */
export const FORBIDDEN_TEXT = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]|\p{Cs}/u;

/** Whether `value` is a string free of `FORBIDDEN_TEXT`. */
export function isChatText(value: unknown): value is string {
  return typeof value === 'string' && !FORBIDDEN_TEXT.test(value);
}

/** class-validator rule: the property is a string free of `FORBIDDEN_TEXT`. */
export function IsChatText(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isChatText', validator: { validate: isChatText } }, options);
}
