import { isChatText } from '../protocol/dto/chat-text.js';
import { ChatMessageDto, PrivateMessageDto, ResumeDto } from '../protocol/dto/message.dto.js';
import { ROOM_ID_PATTERN } from '../rooms/room-id.js';

/** A frame's fields as JSON.parse made them. */
type Fields = Record<string, unknown>;

/**
 * One frame type's check: the DTO it builds, or null when the frame is not one it
 * recognises as plainly valid (the caller then runs the class-validator DTO).
 */
type FastCheck = (frame: Fields) => object | null;

/**
 * A `client_id` accepted without the DTO: printable ASCII, 1–64 characters (the DTO's
 * length counts such text exactly as its characters, and none of it is forbidden text).
 */
const PLAIN_CLIENT_ID = /^[\x20-\x7e]{1,64}$/;

/** Whether `value` is an integer within `min`…2^53 − 1, as the DTOs' id fields require. */
function isIdInRange(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= Number.MAX_SAFE_INTEGER;
}

/** Whether every own key of `frame` is `type` or one of `fields`. */
function onlyKnownKeys(frame: Fields, fields: readonly string[]): boolean {
  for (const key in frame) if (key !== 'type' && !fields.includes(key)) return false;
  return true;
}

/** `content` trimmed as the DTO trims it, when it is a string the DTO accepts; else null. */
function plainContent(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed !== '' && isChatText(trimmed) ? trimmed : null;
}

const MESSAGE_FIELDS = ['content', 'client_id', 'room'] as const;
const PRIVATE_FIELDS = ['content', 'client_id', 'to'] as const;
const RESUME_FIELDS = ['since'] as const;

/** The optional `client_id` is absent or plain. */
function clientIdOk(frame: Fields): boolean {
  return (
    frame.client_id === undefined || (typeof frame.client_id === 'string' && PLAIN_CLIENT_ID.test(frame.client_id))
  );
}

const chatMessage: FastCheck = (frame) => {
  if (!onlyKnownKeys(frame, MESSAGE_FIELDS) || !clientIdOk(frame)) return null;
  const content = plainContent(frame.content);
  if (content === null) return null;
  if (frame.room !== undefined && !(typeof frame.room === 'string' && ROOM_ID_PATTERN.test(frame.room))) return null;
  const dto = new ChatMessageDto();
  dto.content = content;
  if (frame.client_id !== undefined) dto.client_id = frame.client_id as string;
  if (frame.room !== undefined) dto.room = frame.room as string;
  return dto;
};

const privateMessage: FastCheck = (frame) => {
  if (!onlyKnownKeys(frame, PRIVATE_FIELDS) || !clientIdOk(frame) || !isIdInRange(frame.to, 1)) return null;
  const content = plainContent(frame.content);
  if (content === null) return null;
  const dto = new PrivateMessageDto();
  dto.content = content;
  if (frame.client_id !== undefined) dto.client_id = frame.client_id as string;
  dto.to = frame.to;
  return dto;
};

const resume: FastCheck = (frame) => {
  if (!onlyKnownKeys(frame, RESUME_FIELDS) || !isIdInRange(frame.since, 0)) return null;
  const dto = new ResumeDto();
  dto.since = frame.since;
  return dto;
};

/** The DTOs with a fast path: the fields each one's check reads, and the check. */
const FAST_PATHS = new Map<Function, { fields: readonly string[]; check: FastCheck }>([
  [ChatMessageDto, { fields: MESSAGE_FIELDS, check: chatMessage }],
  [PrivateMessageDto, { fields: PRIVATE_FIELDS, check: privateMessage }],
  [ResumeDto, { fields: RESUME_FIELDS, check: resume }],
]);

/** The DTOs with a fast path, and the fields each one's check reads. */
export const FAST_PATH_FIELDS: ReadonlyMap<Function, readonly string[]> = new Map(
  [...FAST_PATHS].map(([dto, { fields }]) => [dto, fields]),
);

/**
 * The hot frames' validation without class-transformer and class-validator: for
 * `chat_message`, `private_message` and `resume`, a frame that is a plain object with only
 * known fields, each plainly valid, becomes its DTO here — the same object the
 * class-validator pipe returns for it (content trimmed, unknown fields none). It never
 * refuses: anything else (a wrong type, an odd character, a null, an extra field) returns
 * null and goes through the DTO's class-validator rules, so every refusal and its error
 * text stay theirs. `ws-validation.fast-path.spec.ts` proves equal verdicts over valid and
 * hostile frames.
 */
export function fastValidate(metatype: Function | undefined, value: unknown): object | null {
  if (!metatype || typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype)
    return null;
  const fastPath = FAST_PATHS.get(metatype);
  return fastPath ? fastPath.check(value as Fields) : null;
}
