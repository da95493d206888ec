import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOSTILE_CHARACTERS } from '../../../test/support/hostile-frames.js';
import type { StoredMessage } from '../history/message.store.js';
import { messageFrameJson, toMessageFrame } from './message-frame.js';

const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc
    .array(fc.oneof(HOSTILE_CHARACTERS, fc.constantFrom('a', '"', '\\', '\n', '\u{1F600}')), { maxLength: 20 })
    .map((parts) => parts.join('')),
);
const id = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
const epochMs = fc.integer({ min: 0, max: 4_102_444_800_000 });

const storedMessage: fc.Arbitrary<StoredMessage> = fc.record(
  {
    id,
    senderId: id,
    senderNickname: text,
    recipientId: fc.option(id, { nil: null }),
    room: fc.option(fc.constantFrom('lobby', 'crew', 'a"b', 'zeta-9'), { nil: null }),
    content: text,
    createdAt: epochMs,
    clientId: fc.option(text, { nil: null }),
    editedAt: fc.option(epochMs, { nil: undefined }),
    mentions: fc.option(fc.array(id, { maxLength: 4 }), { nil: undefined }),
  },
  { requiredKeys: ['id', 'senderId', 'senderNickname', 'recipientId', 'room', 'content', 'createdAt', 'clientId'] },
);

describe('messageFrameJson', () => {
  it('is JSON.stringify(toMessageFrame(message)) byte for byte: lobby, rooms, private, edited, mentions, any text', () => {
    fc.assert(
      fc.property(storedMessage, (message) => {
        expect(messageFrameJson(message)).toBe(JSON.stringify(toMessageFrame(message)));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps the seed protocol bytes of a lobby message', () => {
    const message: StoredMessage = {
      id: 7,
      senderId: 3,
      senderNickname: 'ann',
      recipientId: null,
      room: 'lobby',
      content: 'hi "there"',
      createdAt: Date.UTC(2026, 10, 26, 8, 0, 0, 5),
      clientId: null,
    };
    expect(messageFrameJson(message)).toBe(
      '{"type":"chat_message","id":7,"content":"hi \\"there\\"","user_id":3,"nickname":"ann","timestamp":"2026-11-26T08:00:00.005Z"}',
    );
  });
});
