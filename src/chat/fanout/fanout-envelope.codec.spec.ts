import { describe, expect, it } from 'vitest';
import {
  decodeEnvelope,
  decodeEnvelopes,
  encodeEnvelope,
  encodeEveryoneBatch,
  probeMessage,
} from './fanout-envelope.codec.js';
import type { FanoutEnvelope } from './fanout.bus.js';

describe('fan-out envelope codec', () => {
  const frame = JSON.stringify({ type: 'chat_message', content: 'line one\nline two, with, commas', id: 7 });

  it.each<FanoutEnvelope>([
    { kind: 'everyone', frame },
    { kind: 'users', userIds: [3, 12], frame },
    { kind: 'room', room: 'staff-room_2', frame },
    { kind: 'room_access', rooms: ['staff', 'news'] },
    { kind: 'end_sessions', sessionKeys: ['ab12', 'cd34'] },
  ])('round-trips a $kind envelope', (envelope) => {
    expect(decodeEnvelope(encodeEnvelope(envelope))).toEqual(envelope);
  });

  it('carries the serialized frame verbatim after a one-line header', () => {
    expect(encodeEnvelope({ kind: 'users', userIds: [1, 2], frame })).toBe(`U1,2\n${frame}`);
  });

  it.each(['', 'X\nframe', 'E', 'Ex\nframe', 'U1,zz\nframe', 'U0\nframe', 'RBad\nframe', 'R\nframe', 'Astaff,', 'A'])(
    'ignores %j',
    (wire) => {
      expect(decodeEnvelope(wire)).toBeNull();
    },
  );

  it('carries several everyone frames in one message, handed out in order', () => {
    const frames = ['{"type":"user_joined","user_id":1}', '{"type":"user_left","user_id":1}', '{"n":"a\\nb"}'];
    expect(decodeEnvelopes(encodeEveryoneBatch(frames))).toEqual(frames.map((f) => ({ kind: 'everyone', frame: f })));
  });

  it('reads a single envelope as a list of one, and anything unknown as none', () => {
    expect(decodeEnvelopes(encodeEnvelope({ kind: 'everyone', frame }))).toEqual([{ kind: 'everyone', frame }]);
    expect(decodeEnvelopes('X\nframe')).toEqual([]);
  });

  it('refuses a batch frame holding a raw newline, and an empty batch', () => {
    expect(() => encodeEveryoneBatch(['{"a":1}', 'two\nlines'])).toThrow(/newline/);
    expect(() => encodeEveryoneBatch([])).toThrow(/at least one/);
  });

  it('a batch is not mistaken for a single envelope by a reader of single envelopes', () => {
    expect(decodeEnvelope(encodeEveryoneBatch(['{"a":1}']))).toBeNull();
  });

  it('a liveness probe carries no envelope for any reader', () => {
    expect(decodeEnvelope(probeMessage('vm-1-ab'))).toBeNull();
    expect(decodeEnvelopes(probeMessage('vm-1-ab'))).toEqual([]);
  });
});
