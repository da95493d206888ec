import { encodeEnvelope } from '../fanout/fanout-envelope.codec.js';
import type { PresenceChangeFrame } from '../protocol/frames.js';
import { presenceChangeFrame } from '../protocol/presence-change-frame.js';

/** Stand-ins that go through the real codec and are then replaced by Lua expressions. */
const KIND = '\u0001kind';
const NICK = '\u0001nick';
const STAMP = '\u0001stamp';
const UID = 987_654_321_012_345;

const LUA_ESCAPES: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r' };

/** A Lua string literal of `text`. */
function luaString(text: string): string {
  return `"${text.replace(/[\\"\n\r]/g, (c) => LUA_ESCAPES[c])}"`;
}

/**
 * A Lua expression whose value is the fan-out wire text (`encodeEnvelope`) of a presence
 * change to everyone (`presenceChangeFrame`), given the names of Lua variables holding
 * the frame type, the user id (a numeric string), the nickname and the timestamp. It is
 * generated from those two functions, so the script and the TypeScript side write one
 * format: a sample frame with stand-in values is encoded, and each stand-in is replaced
 * by the Lua expression that encodes the variable (`cjson.encode` for strings).
 */
export function presenceAnnouncementLua(vars: { kind: string; uid: string; nick: string; stamp: string }): string {
  const sample = encodeEnvelope({
    kind: 'everyone',
    frame: JSON.stringify(presenceChangeFrame(KIND as PresenceChangeFrame['type'], { id: UID, nickname: NICK }, STAMP)),
  });
  const slots = new Map<string, string>([
    [JSON.stringify(KIND), `cjson.encode(${vars.kind})`],
    [JSON.stringify(NICK), `cjson.encode(${vars.nick})`],
    [JSON.stringify(STAMP), `cjson.encode(${vars.stamp})`],
    [String(UID), `tonumber(${vars.uid})`],
  ]);
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
