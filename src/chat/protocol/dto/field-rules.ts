import { Transform } from 'class-transformer';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { ROOM_ID_PATTERN } from '../../rooms/room-id.js';

/** The largest id a frame may name: ids stay exact as JSON numbers. */
export const MAX_ID = Number.MAX_SAFE_INTEGER;

/** What a malformed `room` is answered with, for every frame that names one. */
export const ROOM_RULE = 'room must be a room id (a-z, 0-9, _ and -, starting with a letter or digit, at most 64)';

/**
 * Applies `decorators` in the order TypeScript applies stacked ones (the last listed
 * first), so the composition registers the same class-validator metadata, in the same
 * order, as writing them one above the other.
 */
function stacked(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, property) => {
    for (let i = decorators.length - 1; i >= 0; i--) decorators[i](target, property);
  };
}

/**
 * class-validator rule: the property is an integer from `min` to `max` (both included);
 * any violation (not an integer, too small, too large) is answered with `message`.
 */
export function IsIntegerIn(min: number, max: number, message: string): PropertyDecorator {
  return stacked(Min(min, { message }), Max(max, { message }), IsInt({ message }));
}

/**
 * class-validator rule: the property is a positive id of a `kind` (`user`, `message`,
 * `flag`), answered with "`<property>` must be a `<kind>` id (positive integer)".
 */
function IsPositiveId(kind: 'user' | 'message' | 'flag'): PropertyDecorator {
  return (target, property) =>
    IsIntegerIn(1, MAX_ID, `${String(property)} must be a ${kind} id (positive integer)`)(target, property);
}

/** class-validator rule: the property is a user id (a positive integer up to `MAX_ID`). */
export const IsUserId = (): PropertyDecorator => IsPositiveId('user');

/** class-validator rule: the property is a message id (a positive integer up to `MAX_ID`). */
export const IsMessageId = (): PropertyDecorator => IsPositiveId('message');

/** class-validator rule: the property is a flag id (a positive integer up to `MAX_ID`). */
export const IsFlagId = (): PropertyDecorator => IsPositiveId('flag');

/** class-validator rule: the property is a well-formed room id (`ROOM_ID_PATTERN`), else `ROOM_RULE`. */
export function IsRoomId(): PropertyDecorator {
  return stacked(Matches(ROOM_ID_PATTERN, { message: ROOM_RULE }), IsString({ message: ROOM_RULE }));
}

/** class-transformer rule: a string property is trimmed before it is validated; other values pass unchanged. */
export function Trimmed(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
}
