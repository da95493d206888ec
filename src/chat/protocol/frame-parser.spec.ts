import { describe, expect, it } from 'vitest';
import { parseClientFrame, refOf } from './frame-parser.js';

const known = new Set(['join', 'chat_message']);

describe('parseClientFrame', () => {
  it('routes a known type with the whole object', () => {
    expect(parseClientFrame('{"type":"chat_message","content":"hi"}', known)).toEqual({
      ok: true,
      type: 'chat_message',
      data: { type: 'chat_message', content: 'hi' },
    });
  });

  it.each(['', '{', 'null', '42', '"x"', '[]', '[{"type":"join"}]', 'true'])('answers %j with invalid_json', (text) => {
    const result = parseClientFrame(text, known);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ type: 'error', code: 'invalid_json', ref: null });
  });

  it.each([
    ['{}', null],
    ['{"type":5}', null],
    ['{"type":"__proto__"}', '__proto__'],
    ['{"type":"toString"}', 'toString'],
    ['{"type":"dance","client_id":"c9"}', 'c9'],
  ])('answers %s with unknown_type and ref %j', (text, ref) => {
    const result = parseClientFrame(text, known);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: 'unknown_type', ref });
  });

  it('refuses a __proto__ key and never lets it reach Object.prototype', () => {
    const result = parseClientFrame('{"type":"join","__proto__":{"polluted":true}}', known);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatchObject({ code: 'invalid_message' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('refOf', () => {
  it('prefers a sane client_id, falls back to the type', () => {
    expect(refOf({ type: 'chat_message', client_id: 'abc' })).toBe('abc');
    expect(refOf({ type: 'chat_message', client_id: '' })).toBe('chat_message');
    expect(refOf({ type: 'chat_message', client_id: 'x'.repeat(65) })).toBe('chat_message');
    expect(refOf({ type: 7 })).toBeNull();
    expect(refOf(null)).toBeNull();
  });
});
