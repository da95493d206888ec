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
 * - `S<key>,<key>…`: end sessions (keys are hex, no frame).
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
