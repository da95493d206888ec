import type { ErrorFrame } from './frames.js';
import { jsonShapeProblem } from './json-shape.js';

/** A parsed client frame: its `type` and the whole object (handlers validate the rest). */
export type ParsedFrame = { ok: true; type: string; data: Record<string, unknown> } | { ok: false; error: ErrorFrame };

/** `text` with every lone surrogate replaced by U+FFFD, so it can be echoed to a client as UTF-8. */
function wellFormed(text: string): string {
  return text.replace(/\p{Cs}/gu, '\uFFFD');
}

/** What an `error` frame refers to: the request's `client_id` if it has one, else its `type`. */
export function refOf(data: unknown): string | null {
  if (typeof data !== 'object' || data === null) return null;
  const { client_id: clientId, type } = data as Record<string, unknown>;
  if (typeof clientId === 'string' && clientId.length > 0 && clientId.length <= 64) return wellFormed(clientId);
  return typeof type === 'string' ? wellFormed(type.slice(0, 64)) : null;
}

/**
 * Turns one text frame into a routable command or the `error` frame that answers it:
 * not JSON or not a JSON object → `invalid_json`; nested deeper than `MAX_FRAME_DEPTH`
 * or using a reserved key (`__proto__`, `constructor`, `prototype`) → `invalid_message`;
 * no string `type` or one not in `knownTypes` → `unknown_type`. Never throws; every
 * string in an `error` frame is well-formed Unicode.
 */
export function parseClientFrame(text: string, knownTypes: ReadonlySet<string>): ParsedFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: { type: 'error', code: 'invalid_json', message: 'frame is not valid JSON', ref: null } };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      ok: false,
      error: { type: 'error', code: 'invalid_json', message: 'frame must be a JSON object', ref: null },
    };
  }
  const data = value as Record<string, unknown>;
  const problem = jsonShapeProblem(data);
  if (problem) {
    return { ok: false, error: { type: 'error', code: 'invalid_message', message: problem, ref: refOf(data) } };
  }
  const type = data.type;
  if (typeof type !== 'string' || !knownTypes.has(type)) {
    const shown = typeof type === 'string' ? JSON.stringify(wellFormed(type.slice(0, 64))) : 'missing';
    return {
      ok: false,
      error: { type: 'error', code: 'unknown_type', message: `unknown frame type (${shown})`, ref: refOf(data) },
    };
  }
  return { ok: true, type, data };
}
