/**
 * Reads just enough of a server frame to account for it, without JSON.parse:
 * the `type`, and the benchmark marker `<tag>:<sender>:<seq>:<sentUs>` carried in
 * `content` (messages) or `client_id` (acks). Markers contain only a letter,
 * digits and colons, so they never need JSON escaping.
 */

/** Frame kinds the generator tells apart. */
export const Kind = Object.freeze({ OTHER: 0, CHAT: 1, PRIVATE: 2, ACK: 3 });

const TYPE_KEY = Buffer.from('"type":"');
const CONTENT_KEY = Buffer.from('"content":"');
const CLIENT_ID_KEY = Buffer.from('"client_id":"');
const TYPES = [
  [Buffer.from('chat_message"'), Kind.CHAT],
  [Buffer.from('private_message"'), Kind.PRIVATE],
  [Buffer.from('ack"'), Kind.ACK],
];

/**
 * @param {string} tag one letter: `t` public, `p` private, `r` readiness probe
 * @param {number} sender global sender number
 * @param {number} seq the sender's message number, from 0
 * @param {number} sentUs send time from `nowUs()`
 * @returns {string}
 */
export function marker(tag, sender, seq, sentUs) {
  return `${tag}:${sender}:${seq}:${sentUs}`;
}

/**
 * @param {Buffer} buf a text frame
 * @returns {number} one of `Kind`
 */
export function frameKind(buf) {
  const at = buf.indexOf(TYPE_KEY);
  if (at < 0) return Kind.OTHER;
  const from = at + TYPE_KEY.length;
  for (const [name, kind] of TYPES) {
    if (buf.length >= from + name.length && buf.compare(name, 0, name.length, from, from + name.length) === 0) {
      return kind;
    }
  }
  return Kind.OTHER;
}

/**
 * Parses the marker of a message (`content`) or an ack (`client_id`) into `out`.
 * @param {Buffer} buf
 * @param {number} kind from `frameKind`
 * @param {Float64Array} out receives [tag char code, sender, seq, sentUs]
 * @returns {boolean} false when the frame carries no marker
 */
export function readMarker(buf, kind, out) {
  const key = kind === Kind.ACK ? CLIENT_ID_KEY : CONTENT_KEY;
  const at = buf.indexOf(key);
  if (at < 0) return false;
  let i = at + key.length;
  out[0] = buf[i];
  if (buf[i + 1] !== 58 /* : */) return false;
  i += 2;
  for (let field = 1; field <= 3; field++) {
    let n = 0;
    let digits = 0;
    for (let c = buf[i]; c >= 48 && c <= 57; c = buf[++i]) {
      n = n * 10 + (c - 48);
      digits++;
    }
    if (digits === 0) return false;
    out[field] = n;
    if (field < 3) {
      if (buf[i] !== 58) return false;
      i++;
    }
  }
  return true;
}
