/** Label of inbound frames that could not be routed: bad JSON or a type the server does not know. */
export const INVALID_FRAME = 'invalid';
/** Label of inbound binary frames (refused with 1003). */
export const BINARY_FRAME = 'binary';
/** Label of a serialized frame whose type is not a server frame type. */
export const OTHER_FRAME = 'other';
