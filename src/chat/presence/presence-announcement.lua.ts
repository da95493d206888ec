import { encodeEnvelope, encodeEveryoneBatch } from '../fanout/fanout-envelope.codec.js';
import type { PresenceChangeFrame } from '../protocol/frames.js';
import { presenceChangeFrame } from '../protocol/presence-change-frame.js';

/** Stand-ins that go through the real codec and are then replaced by Lua expressions. */
const KIND = '\u0001kind';
const NICK = '\u0001nick';
const STAMP = '\u0001stamp';
const UID = 987_654_321_012_345;
/** Stand-ins for two frames of a batch. */
const FIRST = '\u0001first';
const SECOND = '\u0001second';

const LUA_ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r' };

/** A Lua string literal of `text`. */
function luaString(text: string): string {
  return `"${text.replace(/[\\"\n\r]/g, (c) => LUA_ESCAPES[c])}"`;
}

type Vars = { kind: string; uid: string; nick: string; stamp: string };

/** A sample presence frame with stand-in values, serialized as the TypeScript side does. */
function sampleFrame(): string {
  return JSON.stringify(presenceChangeFrame(KIND as PresenceChangeFrame['type'], { id: UID, nickname: NICK }, STAMP));
}

/**
 * `sample` as a Lua concatenation: each stand-in (a key of `slots`) replaced by its Lua
 * expression, the rest as string literals; throws when a stand-in is missing.
 */
function luaTemplate(sample: string, slots: Map<string, string>): string {
  const pattern = new RegExp([...slots.keys()].map((key) => key.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')).join('|'), 'g');
  const parts: string[] = [];
  let last = 0;
  for (const match of sample.matchAll(pattern)) {
    if (match.index > last) parts.push(luaString(sample.slice(last, match.index)));
    parts.push(slots.get(match[0])!);
    last = match.index + match[0].length;
  }
  if (last < sample.length) parts.push(luaString(sample.slice(last)));
  if (parts.filter((part) => !part.startsWith('"')).length !== slots.size) {
    throw new Error(`presence announcement: a stand-in did not survive encoding: ${sample}`);
  }
  return parts.join(' .. ');
}

/** The stand-ins of a presence frame → the Lua expressions encoding `vars`. */
function frameSlots(vars: Vars): Map<string, string> {
  return new Map<string, string>([
    [JSON.stringify(KIND), `cjson.encode(${vars.kind})`],
    [JSON.stringify(NICK), `cjson.encode(${vars.nick})`],
    [JSON.stringify(STAMP), `cjson.encode(${vars.stamp})`],
    [String(UID), `tonumber(${vars.uid})`],
  ]);
}

/**
 * A Lua expression whose value is the fan-out wire text (`encodeEnvelope`) of a presence
 * change to everyone (`presenceChangeFrame`), given the names of Lua variables holding
 * the frame type, the user id (a numeric string), the nickname and the timestamp. It is
 * generated from those two functions, so the script and the TypeScript side write one
 * format: a sample frame with stand-in values is encoded, and each stand-in is replaced
 * by the Lua expression that encodes the variable (`cjson.encode` for strings).
 */
export function presenceAnnouncementLua(vars: Vars): string {
  return luaTemplate(encodeEnvelope({ kind: 'everyone', frame: sampleFrame() }), frameSlots(vars));
}

/**
 * A Lua expression whose value is the serialized presence change frame alone
 * (`presenceChangeFrame`, as `JSON.stringify` writes it), generated as above; the frames
 * of a batch (`everyoneBatchLua`).
 */
export function presenceFrameLua(vars: Vars): string {
  return luaTemplate(sampleFrame(), frameSlots(vars));
}

/**
 * A Lua expression whose value is the fan-out wire text of a batch of `everyone` frames
 * (`encodeEveryoneBatch`), given the name of a Lua array of serialized frames (at least
 * one). Generated from the codec: a two-frame sample gives the head and the separator.
 */
export function everyoneBatchLua(frames: string): string {
  const sample = encodeEveryoneBatch([FIRST, SECOND]);
  const head = sample.slice(0, sample.indexOf(FIRST));
  const separator = sample.slice(sample.indexOf(FIRST) + FIRST.length, sample.indexOf(SECOND));
  if (head + FIRST + separator + SECOND !== sample) throw new Error(`everyone batch: unexpected form ${sample}`);
  return `${luaString(head)} .. table.concat(${frames}, ${luaString(separator)})`;
}
