import { isDeepStrictEqual } from 'node:util';
import type { ServerFrame, ServerFrameType } from '../chat/protocol/frames.js';

/** The server frame whose `type` is `K` (frames sharing one shape, like `user_joined`/`user_left`, included). */
export type FrameOf<K extends ServerFrameType> = ServerFrame extends infer F
  ? F extends { type: infer T }
    ? K extends T
      ? F & { type: K }
      : never
    : never
  : never;

/** A nested subset of a value: every field given must be present and equal; arrays compare whole. */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [P in keyof T]?: DeepPartial<T[P]> }
    : T;

/** What a frame of type `K` must look like: a nested subset of its fields, or a predicate. */
export type FrameMatch<K extends ServerFrameType> = DeepPartial<FrameOf<K>> | ((frame: FrameOf<K>) => boolean);

/**
 * Whether `frame` is of `type` and matches `match`: a predicate must return true; an
 * object must be a nested subset of the frame (each given field equal, objects compared
 * field by field, arrays and other values with deep strict equality).
 */
export function frameMatches<K extends ServerFrameType>(
  frame: ServerFrame,
  type: K | undefined,
  match: FrameMatch<K> | undefined,
): boolean {
  if (type !== undefined && frame.type !== type) return false;
  if (match === undefined) return true;
  if (typeof match === 'function') return match(frame as FrameOf<K>);
  return isSubset(frame, match);
}

function isSubset(actual: unknown, expected: unknown): boolean {
  if (expected === null || typeof expected !== 'object' || Array.isArray(expected))
    return isDeepStrictEqual(actual, expected);
  if (actual === null || typeof actual !== 'object') return false;
  return Object.entries(expected).every(([key, value]) => isSubset((actual as Record<string, unknown>)[key], value));
}

/** A short description of what was awaited, for failure messages. */
export function describeExpectation(type: string | undefined, match: unknown): string {
  const shape =
    match === undefined ? '' : typeof match === 'function' ? ' matching a predicate' : ` ⊇ ${JSON.stringify(match)}`;
  return `${type ?? 'any'} frame${shape}`;
}
