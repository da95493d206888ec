import { isRoomId } from '../rooms/room-id.js';
import type { FanoutEnvelope } from './fanout.bus.js';

/**
 * Wire form of a `FanoutEnvelope` on a shared broker: a one-line header (kind letter and
 * its addressees) and, after the first newline, the already-serialized frame verbatim —
 * the frame is never parsed or re-encoded on the way.
 * - `E\n<frame>`: everyone;
 * - `U<id>,<id>…\n<frame>`: users;
 * - `R<room>\n<frame>`: the followers of one room;
 * - `A<room>,<room>…`: room access changed (room ids never hold a comma, no frame);
 * - `S<key>,<key>…`: end sessions (keys are hex, no frame);
 * - `B\n<frame>\n<frame>…`: several `everyone` envelopes in one message, in order
 *   (`encodeEveryoneBatch`; the presence scripts announce a batch of changes this way);
 * - `P<token>`: a node's liveness probe (`probeMessage`), no envelope: every reader
 *   ignores it, the node that sent it notes that it came back.
 */
export function encodeEnvelope(envelope: FanoutEnvelope): string {
  switch (envelope.kind) {
    case 'everyone':
      return `E\n${envelope.frame}`;
    case 'users':
      return `U${envelope.userIds.join(',')}\n${envelope.frame}`;
    case 'room':
      return `R${envelope.room}\n${envelope.frame}`;
    case 'room_access':
      return `A${envelope.rooms.join(',')}`;
    case 'end_sessions':
      return `S${envelope.sessionKeys.join(',')}`;
  }
}

/**
 * The message a node publishes to check that its subscriptions deliver (`token`: the node,
 * without a newline). Not an envelope: `decodeEnvelope(s)` reads nothing from it.
 */
export function probeMessage(token: string): string {
  return `P${token}`;
}

/** What a batch of `everyone` frames starts with (`encodeEveryoneBatch`). */
const BATCH_HEAD = 'B\n';
/** What separates two frames of a batch: a serialized JSON frame never holds a raw newline. */
const BATCH_SEPARATOR = '\n';

/**
 * Wire form of several `everyone` envelopes carried by one message, handed out in this
 * order by `decodeEnvelopes`. Each frame must be one line (serialized JSON is); throws
 * otherwise, and for an empty list.
 */
export function encodeEveryoneBatch(frames: string[]): string {
  if (frames.length === 0) throw new Error('an everyone batch needs at least one frame');
  if (frames.some((frame) => frame.includes(BATCH_SEPARATOR))) {
    throw new Error('a frame of an everyone batch must not contain a newline');
  }
  return BATCH_HEAD + frames.join(BATCH_SEPARATOR);
}

/**
 * Reads one message of the bus: the envelopes it carries, in order (several for a batch,
 * `encodeEveryoneBatch`; one for anything `encodeEnvelope` wrote; none for anything else).
 */
export function decodeEnvelopes(wire: string): FanoutEnvelope[] {
  if (wire.startsWith(BATCH_HEAD)) {
    return wire
      .slice(BATCH_HEAD.length)
      .split(BATCH_SEPARATOR)
      .filter((frame) => frame.length > 0)
      .map((frame) => ({ kind: 'everyone', frame }));
  }
  const envelope = decodeEnvelope(wire);
  return envelope ? [envelope] : [];
}

/** Reads what `encodeEnvelope` wrote; null for anything else (ignored by the receiver). */
export function decodeEnvelope(wire: string): FanoutEnvelope | null {
  const kind = wire.charCodeAt(0);
  if (kind === 83 /* S */) {
    const sessionKeys = wire.slice(1).split(',').filter(Boolean);
    return { kind: 'end_sessions', sessionKeys };
  }
  if (kind === 65 /* A */) {
    const rooms = wire.slice(1).split(',');
    return rooms.every(isRoomId) ? { kind: 'room_access', rooms } : null;
  }
  const newline = wire.indexOf('\n');
  if (newline < 0) return null;
  const frame = wire.slice(newline + 1);
  if (kind === 69 /* E */ && newline === 1) return { kind: 'everyone', frame };
  if (kind === 82 /* R */) {
    const room = wire.slice(1, newline);
    return isRoomId(room) ? { kind: 'room', room, frame } : null;
  }
  if (kind === 85 /* U */) {
    const userIds = wire.slice(1, newline).split(',').map(Number);
    if (userIds.some((id) => !Number.isSafeInteger(id) || id <= 0)) return null;
    return { kind: 'users', userIds, frame };
  }
  return null;
}
