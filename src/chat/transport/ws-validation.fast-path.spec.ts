import { ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzFrame, HOSTILE_CHARACTERS, HOSTILE_VALUES } from '../../../test/support/hostile-frames.js';
import { ChatMessageDto, PrivateMessageDto, ResumeDto } from '../protocol/dto/message.dto.js';
import { parseClientFrame } from '../protocol/frame-parser.js';
import { FAST_PATH_FIELDS, fastValidate } from './ws-validation.fast-path.js';
import { createWsValidationPipe } from './ws-validation.pipe.js';

const pipe = createWsValidationPipe();
const DTOS = [ChatMessageDto, PrivateMessageDto, ResumeDto] as const;
const ANY_TYPE = { has: () => true };

type Verdict = { ok: true; dto: unknown } | { ok: false; error: unknown };

async function verdict(run: () => Promise<unknown>): Promise<Verdict> {
  try {
    return { ok: true, dto: await run() };
  } catch (error) {
    return { ok: false, error };
  }
}

/** The class-validator DTO's verdict alone (the pipe's options, without the fast path). */
function classValidatorVerdict(metatype: Function, text: string): Promise<Verdict> {
  return verdict(() =>
    ValidationPipe.prototype.transform.call(pipe, JSON.parse(text), { type: 'body', metatype: metatype as never }),
  );
}

/** The pipe's verdict, fast path first. */
function pipeVerdict(metatype: Function, text: string): Promise<Verdict> {
  return verdict(() => pipe.transform(JSON.parse(text), { type: 'body', metatype: metatype as never }));
}

/**
 * Checks one frame against every DTO with a fast path; answers how many fast-path verdicts
 * it made (accepts). A fast-path accept must be the class-validator DTO's accept with an
 * equal object; the pipe as a whole must answer exactly as the DTO does.
 */
async function sameVerdicts(text: string): Promise<number> {
  let fast = 0;
  for (const metatype of DTOS) {
    const quick = fastValidate(metatype, JSON.parse(text));
    const reference = await classValidatorVerdict(metatype, text);
    if (quick !== null) {
      fast++;
      expect(reference, `${metatype.name} ${text}`).toMatchObject({ ok: true });
      expect(quick, `${metatype.name} ${text}`).toStrictEqual((reference as { dto: unknown }).dto);
    }
    const combined = await pipeVerdict(metatype, text);
    expect(combined.ok, `${metatype.name} ${text}`).toBe(reference.ok);
    if (combined.ok) expect(combined.dto).toStrictEqual((reference as { dto: unknown }).dto);
    else expect(combined.error).toStrictEqual((reference as { error: unknown }).error);
  }
  return fast;
}

const EDGE_FRAMES: unknown[] = [
  { type: 'chat_message', content: 'hello' },
  { type: 'chat_message', content: '  padded \n', client_id: 'c-1' },
  { type: 'chat_message', content: 'emoji 😀 and tab\tand newline\n', room: 'general' },
  { type: 'chat_message', content: 'x', room: 'lobby', client_id: 'a'.repeat(64) },
  { type: 'chat_message', content: 'x', client_id: 'a'.repeat(65) },
  { type: 'chat_message', content: 'x', client_id: '' },
  { type: 'chat_message', content: 'x', client_id: 'é' },
  { type: 'chat_message', content: 'x', client_id: '😀' },
  { type: 'chat_message', content: 'x', client_id: null },
  { type: 'chat_message', content: 'x', room: null },
  { type: 'chat_message', content: 'x', room: 'Bad Room' },
  { type: 'chat_message', content: 'x', room: '-lead' },
  { type: 'chat_message', content: 'x', room: 'r'.repeat(65) },
  { type: 'chat_message', content: 'x', room: 5 },
  { type: 'chat_message', content: ' \n\t ' },
  { type: 'chat_message', content: '' },
  { type: 'chat_message', content: 'bell \u0007' },
  { type: 'chat_message', content: 'cr \r' },
  { type: 'chat_message', content: 'c1 \u0085' },
  { type: 'chat_message', content: 'lone \ud800' },
  { type: 'chat_message', content: 'nbsp\u00a0' },
  { type: 'chat_message', content: '\u2028line separator\u2029' },
  { type: 'chat_message', content: '\ufeffbom' },
  { type: 'chat_message', content: 5 },
  { type: 'chat_message', content: null },
  { type: 'chat_message', content: ['x'] },
  { type: 'chat_message', content: { x: 1 } },
  { type: 'chat_message' },
  { type: 'chat_message', content: 'x', user_id: 1, nickname: 'spoof' },
  { type: 'chat_message', content: 'x', to: 2 },
  { type: 'private_message', content: 'hi', to: 2 },
  { type: 'private_message', content: 'hi', to: 2, client_id: 'k' },
  { type: 'private_message', content: 'hi', to: Number.MAX_SAFE_INTEGER },
  { type: 'private_message', content: 'hi', to: 2 ** 53 },
  { type: 'private_message', content: 'hi', to: 0 },
  { type: 'private_message', content: 'hi', to: -1 },
  { type: 'private_message', content: 'hi', to: 1.5 },
  { type: 'private_message', content: 'hi', to: 1e300 },
  { type: 'private_message', content: 'hi', to: '2' },
  { type: 'private_message', content: 'hi', to: null },
  { type: 'private_message', content: 'hi' },
  { type: 'private_message', content: 'hi', to: 2, room: 'general' },
  { type: 'resume', since: 0 },
  { type: 'resume', since: 41 },
  { type: 'resume', since: -0 },
  { type: 'resume', since: -1 },
  { type: 'resume', since: 0.5 },
  { type: 'resume', since: 2 ** 53 },
  { type: 'resume', since: '0' },
  { type: 'resume', since: null },
  { type: 'resume' },
  { type: 'resume', since: 1, extra: true },
  { since: 3 },
  {},
];

const RAW_EDGE_FRAMES = [
  '{"type":"chat_message","content":"x","__proto__":{"content":"polluted"}}',
  '{"type":"resume","since":1,"__proto__":{"since":2}}',
  '{"type":"chat_message","content":"x","constructor":{"prototype":{}}}',
  '{"type":"private_message","content":"x","to":2,"content":"last wins"}',
];

/** Mostly valid, sometimes hostile: `weight` parts valid to one part anything. */
const mostly = <T>(valid: fc.Arbitrary<T>, weight = 4) =>
  fc.oneof(
    { weight, arbitrary: valid as fc.Arbitrary<unknown> },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.string({ unit: HOSTILE_CHARACTERS, maxLength: 8 }),
        fc.string({ maxLength: 70 }),
        fc.double(),
        HOSTILE_VALUES,
      ),
    },
  );

const content = mostly(
  fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 12 })),
);
const clientId = mostly(fc.string({ minLength: 1, maxLength: 64 }));
const room = mostly(fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,63}$/));
const optional = { requiredKeys: ['type', 'content'] as ('type' | 'content')[] };

/** Frame-shaped objects whose fields are often plainly valid, so that the fast path accepts many of them. */
const likelyFrames = fc
  .oneof(
    fc.record({ type: fc.constant('chat_message'), content, client_id: clientId, room }, optional),
    fc.record(
      {
        type: fc.constant('private_message'),
        content,
        client_id: clientId,
        to: mostly(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER })),
      },
      optional,
    ),
    fc.record({ type: fc.constant('resume'), since: mostly(fc.maxSafeNat()) }, { requiredKeys: ['type'] }),
    fc.record({ type: fc.constant('chat_message'), content, nickname: fc.string({ maxLength: 5 }) }),
  )
  .map((frame) => JSON.stringify(frame));

describe('fast path of the hot frames (chat_message, private_message, resume)', () => {
  it('reads exactly the fields the DTOs declare', () => {
    for (const metatype of DTOS) {
      const declared = new Set(
        getMetadataStorage()
          .getTargetValidationMetadatas(metatype, '', true, false)
          .map((rule) => rule.propertyName),
      );
      expect([...declared].sort(), metatype.name).toEqual([...FAST_PATH_FIELDS.get(metatype)!].sort());
    }
  });

  it('gives the class-validator verdict on hand-picked valid and invalid frames', async () => {
    let fast = 0;
    for (const frame of EDGE_FRAMES) fast += await sameVerdicts(JSON.stringify(frame));
    for (const text of RAW_EDGE_FRAMES) fast += await sameVerdicts(text);
    expect(fast).toBeGreaterThan(10);
  });

  it('gives the class-validator verdict on generated frames, valid and hostile', async () => {
    let fast = 0;
    await fc.assert(
      fc.asyncProperty(likelyFrames, async (text) => {
        fast += await sameVerdicts(text);
      }),
      { numRuns: 1500 },
    );
    await fc.assert(
      fc.asyncProperty(fuzzFrame, async (frame) => {
        // the pipe sees only what the adapter's parser accepted (a JSON object, not nested too deep)
        if (frame.kind === 'text' && parseClientFrame(frame.data, ANY_TYPE).ok) await sameVerdicts(frame.data);
      }),
      { numRuns: 1000 },
    );
    expect(fast).toBeGreaterThan(50);
  });
});
