/**
 * A `ChatModule` option with a value the chat cannot run with. `option` names it,
 * `expected` states what it must be; `message` is one line with both, so a host's start-up
 * stops with a message that says what to fix.
 */
export class ChatOptionsError extends Error {
  override name = 'ChatOptionsError';

  constructor(
    readonly option: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(`invalid ChatModule option ${option}=${describeValue(value)} — expected ${expected}`);
  }
}

/** A value as it appears in an error message: JSON where it can be, its kind otherwise. */
export function describeValue(value: unknown): string {
  if (typeof value === 'function') return '[function]';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
