import fc from 'fast-check';

/** One frame a fuzzing client sends: text (possibly not JSON), raw bytes as a text frame, or binary. */
export type FuzzFrame =
  { kind: 'text'; data: string } | { kind: 'bytes'; data: Buffer } | { kind: 'binary'; data: Buffer };

/** Characters a hostile client likes: controls, lone surrogates, emoji, bidi overrides, plain text. */
export const HOSTILE_CHARACTERS = fc.constantFrom(
  '\u0000',
  '\u0007',
  '\r',
  '\n',
  '\t',
  '\u007f',
  '\u0085',
  '\ud800',
  '\udfff',
  'a',
  ' ',
  '😀',
  '\u202e',
);

/** Values a hostile client likes: extremes of JSON numbers, wrong types, empty containers. */
export const HOSTILE_VALUES = fc.constantFrom(
  1e308,
  -1e308,
  2 ** 53,
  2 ** 53 + 2,
  -0,
  0.5,
  -1,
  0,
  1,
  2,
  3,
  Number.MAX_SAFE_INTEGER,
  '1',
  true,
  null,
  [],
  {},
);

const TYPES = ['join', 'leave', 'chat_message', 'private_message', 'typing', 'history', 'conversations', 'resume'];

const hostileValue = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({
    unit: HOSTILE_CHARACTERS,
    maxLength: 30,
  }),
  HOSTILE_VALUES,
);

const frameObject = fc.record(
  {
    type: fc.oneof(
      fc.constantFrom(...TYPES),
      fc.constantFrom('__proto__', 'constructor', 'toString', ''),
      fc.string({ maxLength: 20 }),
    ),
    content: fc.oneof(fc.string({ maxLength: 100 }), hostileValue),
    client_id: hostileValue,
    to: hostileValue,
    active: hostileValue,
    with: hostileValue,
    before: hostileValue,
    limit: hostileValue,
    since: hostileValue,
  },
  { requiredKeys: ['type'] },
);

const nested = fc
  .integer({ min: 1, max: 3000 })
  .map((depth) => `{"type":"chat_message","content":"x","n":${'['.repeat(depth)}${']'.repeat(depth)}}`);
const reserved = fc
  .constantFrom('__proto__', 'constructor', 'prototype')
  .map((key) => `{"type":"chat_message","content":"x","${key}":{"polluted":true}}`);

/**
 * Random and malformed frames in proportions that keep a fuzzing client mostly alive:
 * frame-shaped objects with hostile values, arbitrary text and JSON, deep nesting,
 * reserved keys, and rarely a fatal one (binary → 1003, invalid UTF-8 → 1007, too big → 1009).
 */
export const fuzzFrame: fc.Arbitrary<FuzzFrame> = fc.oneof(
  { weight: 40, arbitrary: frameObject.map((o) => ({ kind: 'text' as const, data: JSON.stringify(o) })) },
  {
    weight: 15,
    arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((data) => ({ kind: 'text' as const, data })),
  },
  {
    weight: 15,
    arbitrary: fc.jsonValue({ maxDepth: 6 }).map((v) => ({ kind: 'text' as const, data: JSON.stringify(v) ?? 'null' })),
  },
  { weight: 5, arbitrary: nested.map((data) => ({ kind: 'text' as const, data })) },
  { weight: 5, arbitrary: reserved.map((data) => ({ kind: 'text' as const, data })) },
  {
    weight: 1,
    arbitrary: fc
      .uint8Array({ minLength: 1, maxLength: 64 })
      .map((b) => ({ kind: 'bytes' as const, data: Buffer.from(b) })),
  },
  {
    weight: 1,
    arbitrary: fc
      .uint8Array({ minLength: 1, maxLength: 64 })
      .map((b) => ({ kind: 'binary' as const, data: Buffer.from(b) })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'text' as const, data: 'x'.repeat(9000) }) },
);
