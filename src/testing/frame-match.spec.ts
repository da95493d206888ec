import { describe, expect, it } from 'vitest';
import type { ServerFrame } from '../chat/protocol/frames.js';
import { frameMatches } from './frame-match.js';

const message: ServerFrame = {
  type: 'history',
  with: null,
  messages: [{ type: 'chat_message', id: 1, content: 'hi', user_id: 2, nickname: 'bob', timestamp: 't' }],
  has_more: false,
};

describe('frameMatches', () => {
  it('checks the type, then a nested subset of the fields', () => {
    expect(frameMatches(message, 'history', undefined)).toBe(true);
    expect(frameMatches(message, 'chat_message', undefined)).toBe(false);
    expect(frameMatches(message, undefined, undefined)).toBe(true);
    expect(frameMatches(message, 'history', { with: null, has_more: false })).toBe(true);
    expect(frameMatches(message, 'history', { has_more: true })).toBe(false);
  });

  it('compares arrays whole, and null and undefined strictly', () => {
    expect(frameMatches(message, 'history', { messages: message.messages })).toBe(true);
    expect(frameMatches(message, 'history', { messages: [] })).toBe(false);
    expect(frameMatches(message, 'history', { with: undefined } as never)).toBe(false);
  });

  it('takes a predicate instead of a subset', () => {
    expect(frameMatches(message, 'history', (frame) => frame.messages.length === 1)).toBe(true);
    expect(frameMatches(message, 'history', (frame) => frame.has_more)).toBe(false);
  });
});
