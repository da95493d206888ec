import 'reflect-metadata';
import { PIPES_METADATA } from '@nestjs/common/constants.js';
import type { PipeTransform } from '@nestjs/common';
import { MESSAGE_MAPPING_METADATA, MESSAGE_METADATA, PARAM_ARGS_METADATA } from '@nestjs/websockets/constants.js';
import { WsParamtype } from '@nestjs/websockets/enums/ws-paramtype.enum.js';
import fc from 'fast-check';
import { HOSTILE_CHARACTERS, HOSTILE_VALUES } from '../../../test/support/hostile-frames.js';
import { describe, expect, it } from 'vitest';
import { ChatError } from '../chat.errors.js';
import { ChatGateway } from '../chat.gateway.js';
import { isChatText } from './dto/chat-text.js';
import { ChatMessageDto } from './dto/message.dto.js';
import { parseClientFrame } from './frame-parser.js';
import { CLIENT_FRAME_TYPES } from './frame-types.js';
import { MAX_FRAME_DEPTH, RESERVED_KEYS } from './json-shape.js';
import { isRoomId } from '../rooms/room-id.js';

type Dto = new () => object;

/**
 * The routes `ChatGateway` declares, read from Nest's metadata as Nest reads it: each
 * `@SubscribeMessage` frame type and the class of its `@MessageBody()` parameter (what the
 * validation pipe validates the frame against).
 */
function gatewayRoutes(): Map<string, Dto> {
  const routes = new Map<string, Dto>();
  const prototype = ChatGateway.prototype as unknown as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(prototype)) {
    const handler = prototype[name];
    if (typeof handler !== 'function' || !Reflect.getMetadata(MESSAGE_MAPPING_METADATA, handler)) continue;
    const params = (Reflect.getMetadata(PARAM_ARGS_METADATA, ChatGateway, name) ?? {}) as Record<
      string,
      { index: number }
    >;
    const body = Object.entries(params).find(([key]) => key.split(':')[0] === String(WsParamtype.PAYLOAD));
    const paramTypes = Reflect.getMetadata('design:paramtypes', ChatGateway.prototype, name) as Dto[];
    routes.set(Reflect.getMetadata(MESSAGE_METADATA, handler) as string, paramTypes[body![1].index]!);
  }
  return routes;
}

/** The pipe `ChatGateway` applies to every handler (`@UsePipes`). */
function gatewayPipe(): PipeTransform {
  const pipes = Reflect.getMetadata(PIPES_METADATA, ChatGateway) as PipeTransform[];
  expect(pipes).toHaveLength(1);
  return pipes[0]!;
}

const DTO_OF = gatewayRoutes();
const KNOWN = new Set(DTO_OF.keys());
const ERROR_CODES = new Set(['invalid_json', 'unknown_type', 'invalid_message']);
const pipe = gatewayPipe();
const utf8 = new TextDecoder('utf-8', { fatal: true });

type Outcome =
  | { kind: 'close'; code: 1007 }
  | { kind: 'error'; code: string; message: string; ref: string | null }
  | { kind: 'command'; type: string; dto: Record<string, unknown> };

/** What the server does with one inbound text frame, from bytes to a validated command. */
async function handle(bytes: Uint8Array): Promise<Outcome> {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { kind: 'close', code: 1007 }; // ws closes the socket before any parsing
  }
  return handleText(text);
}

async function handleText(text: string): Promise<Outcome> {
  const parsed = parseClientFrame(text, KNOWN);
  if (!parsed.ok) return { kind: 'error', ...parsed.error };
  try {
    const dto = await pipe.transform(parsed.data, { type: 'body', metatype: DTO_OF.get(parsed.type), data: undefined });
    return { kind: 'command', type: parsed.type, dto };
  } catch (error) {
    if (!(error instanceof ChatError)) throw error;
    return { kind: 'error', code: error.code, message: error.message, ref: null };
  }
}

const isUserId = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 1;
const isWellFormed = (s: string) => !/\p{Cs}/u.test(s);

/** The invariants every outcome satisfies: a documented close, a contract error, or a command the use cases can trust. */
function expectValid(outcome: Outcome): void {
  if (outcome.kind === 'close') {
    expect(outcome.code).toBe(1007);
    return;
  }
  if (outcome.kind === 'error') {
    expect(ERROR_CODES.has(outcome.code)).toBe(true);
    expect(isWellFormed(outcome.message)).toBe(true);
    if (outcome.ref !== null) expect(isWellFormed(outcome.ref) && outcome.ref.length <= 64).toBe(true);
    return;
  }
  const dto = outcome.dto;
  expect(KNOWN.has(outcome.type)).toBe(true);
  expect(Object.getPrototypeOf(dto)).toBe(DTO_OF.get(outcome.type)!.prototype);
  for (const key of Object.keys(dto)) expect(RESERVED_KEYS.has(key)).toBe(false);
  if ('content' in dto || outcome.type === 'chat_message' || outcome.type === 'private_message') {
    expect(typeof dto.content).toBe('string');
    const content = dto.content as string;
    expect(content.length).toBeGreaterThan(0);
    expect(content).toBe(content.trim());
    expect(isChatText(content)).toBe(true);
  }
  // optional fields sent as null count as absent
  if (dto.client_id !== undefined && dto.client_id !== null) {
    expect(typeof dto.client_id === 'string' && dto.client_id.length >= 1 && dto.client_id.length <= 64).toBe(true);
    expect(isChatText(dto.client_id)).toBe(true);
  }
  if (outcome.type === 'private_message') expect(isUserId(dto.to)).toBe(true);
  // typing names `to` or `room` (the use case refuses neither or both); whichever is present is well-formed
  if (outcome.type === 'typing' && dto.to != null) expect(isUserId(dto.to)).toBe(true);
  if (dto.room != null) expect(isRoomId(dto.room)).toBe(true);
  if ('id' in dto || ['edit_message', 'delete_message', 'flag'].includes(outcome.type))
    expect(isUserId(dto.id)).toBe(true);
  if (outcome.type === 'block' || outcome.type === 'unblock') expect(isUserId(dto.user_id)).toBe(true);
  if (outcome.type === 'flag') {
    const reason = dto.reason as string;
    expect(typeof reason === 'string' && reason.length >= 1 && reason.length <= 500).toBe(true);
    expect(reason === reason.trim() && isChatText(reason)).toBe(true);
  }
  if (outcome.type === 'typing') expect(typeof dto.active).toBe('boolean');
  if (outcome.type === 'history') {
    if (dto.with != null) expect(isUserId(dto.with)).toBe(true);
    if (dto.before != null) expect(isUserId(dto.before)).toBe(true);
    if (dto.limit != null)
      expect(Number.isInteger(dto.limit) && (dto.limit as number) >= 1 && (dto.limit as number) <= 50).toBe(true);
  }
  if (outcome.type === 'resume') expect(Number.isSafeInteger(dto.since) && (dto.since as number) >= 0).toBe(true);
  if (outcome.type === 'online_page') {
    if (dto.after != null) expect(Number.isSafeInteger(dto.after) && (dto.after as number) >= 0).toBe(true);
    if (dto.limit != null)
      expect(Number.isInteger(dto.limit) && (dto.limit as number) >= 1 && (dto.limit as number) <= 500).toBe(true);
  }
}

/** Values a hostile client likes: extremes, wrong types, tricky strings. */
const nasty = fc.oneof(
  fc.jsonValue(),
  fc.string({ unit: 'binary' }),
  fc.string({
    unit: HOSTILE_CHARACTERS,
  }),
  HOSTILE_VALUES,
  fc.double(),
  fc.integer(),
);
const frameLike = fc.record(
  {
    type: fc.oneof(
      fc.constantFrom(...KNOWN),
      fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', ''),
      fc.string(),
    ),
    content: nasty,
    client_id: nasty,
    to: nasty,
    active: nasty,
    with: nasty,
    before: nasty,
    limit: nasty,
    since: nasty,
    after: nasty,
    id: nasty,
    user_id: nasty,
    reason: nasty,
  },
  { requiredKeys: ['type'] },
);

describe('frame parser and validators (property-based)', () => {
  it('routes every client frame type the protocol defines, each to its DTO', () => {
    expect([...KNOWN].sort()).toEqual([...CLIENT_FRAME_TYPES].sort());
    for (const dto of DTO_OF.values()) expect(typeof dto).toBe('function');
    expect(DTO_OF.get('chat_message')).toBe(ChatMessageDto);
  });

  it('arbitrary strings give a command, an error frame or nothing worse', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), async (text) =>
        expectValid(await handleText(text)),
      ),
      {
        numRuns: 2000,
      },
    );
  });

  it('arbitrary JSON values give a command or an error frame', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 12 }), async (value) =>
        expectValid(await handleText(JSON.stringify(value) ?? 'null')),
      ),
      { numRuns: 2000 },
    );
  });

  it('frame-shaped objects with hostile field values give a trustworthy command or invalid_message', async () => {
    await fc.assert(
      fc.asyncProperty(frameLike, async (frame) => {
        const outcome = await handleText(JSON.stringify(frame));
        expectValid(outcome);
        if (outcome.kind === 'error') expect(['invalid_message', 'unknown_type']).toContain(outcome.code);
      }),
      { numRuns: 5000 },
    );
  });

  it('arbitrary byte sequences give 1007, a command or an error frame', async () => {
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc
        .string({ unit: 'binary' })
        .map((s) => new TextEncoder().encode(JSON.stringify({ type: 'chat_message', content: s }))),
      fc.tuple(fc.uint8Array({ maxLength: 8 }), fc.nat(40)).map(([noise, at]) => {
        const frame = new TextEncoder().encode(JSON.stringify({ type: 'chat_message', content: 'x'.repeat(40) }));
        frame.set(noise.slice(0, Math.max(0, frame.length - at)), Math.min(at, frame.length));
        return frame;
      }),
    );
    await fc.assert(
      fc.asyncProperty(bytes, async (b) => expectValid(await handle(b))),
      { numRuns: 3000 },
    );
  });

  it('a reserved key at any depth is refused as invalid_message and pollutes nothing', async () => {
    const withReservedKey = fc
      .tuple(fc.constantFrom(...RESERVED_KEYS), fc.nat(MAX_FRAME_DEPTH - 2), fc.jsonValue({ maxDepth: 2 }))
      .map(([key, depth, value]) => {
        let inner = `{"${key}":${JSON.stringify(value) ?? 'null'}}`;
        for (let i = 0; i < depth; i++) inner = `{"x":${inner}}`;
        return `{"type":"chat_message","content":"hi","nested":${inner}}`;
      });
    await fc.assert(
      fc.asyncProperty(withReservedKey, async (text) => {
        const outcome = await handleText(text);
        expect(outcome).toMatchObject({ kind: 'error', code: 'invalid_message' });
      }),
      { numRuns: 500 },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'x')).toBe(false);
  });

  it('nesting deeper than the limit is refused without recursion, whatever the depth', async () => {
    for (const depth of [MAX_FRAME_DEPTH, MAX_FRAME_DEPTH + 1, 4000]) {
      const text = `{"type":"chat_message","content":"x","n":${'['.repeat(depth)}${']'.repeat(depth)}}`;
      const outcome = await handleText(text);
      if (depth + 1 > MAX_FRAME_DEPTH) expect(outcome).toMatchObject({ kind: 'error', code: 'invalid_message' });
      else expectValid(outcome);
    }
  });

  it('content keeps newline, tab, emoji and right-to-left text; refuses other controls and lone surrogates', async () => {
    const accepted = await handleText(JSON.stringify({ type: 'chat_message', content: 'a\n\tb 😀 שלום \u200d' }));
    expect(accepted).toMatchObject({ kind: 'command', dto: { content: 'a\n\tb 😀 שלום \u200d' } });
    for (const bad of ['a\u0000b', 'a\rb', 'a\u001bb', 'a\u007fb', 'a\u0085b', 'a\ud800b', 'a\udc00b']) {
      expect(await handleText(JSON.stringify({ type: 'chat_message', content: bad }))).toMatchObject({
        kind: 'error',
        code: 'invalid_message',
      });
    }
  });
});
