import { describe, expect, it } from 'vitest';
import { serializedFrameType } from './frame-types.js';

describe('serializedFrameType', () => {
  it('reads the leading type of a server-serialized frame without parsing it', () => {
    expect(serializedFrameType(JSON.stringify({ type: 'chat_message', id: 1, content: '{"type":"ack"}' }))).toBe(
      'chat_message',
    );
    expect(serializedFrameType('{"id":1,"type":"ack"}')).toBeNull();
    expect(serializedFrameType('{"type":"user_id_4711"}')).toBeNull();
  });
});
