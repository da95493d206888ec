/** The longest message the server accepts by default (`CHAT_MAX_CONTENT_CHARS`), in code points after trimming. */
export const MAX_CONTENT_CHARS = 2000;

/** Length in Unicode code points, as the server counts it (an emoji is one, not two UTF-16 units). */
export function codePointLength(text) {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

const TOKEN = /(https?:\/\/[^\s<>"']+)|(^|[^\w@])@([A-Za-z0-9_-]{3,32})\b/gi;
const TRAILING = /[.,;:!?'")\]}]+$/;

/**
 * Splits message text into plain text, links and mentions, for rendering as text nodes and
 * elements (never as markup). A link is an absolute `http:`/`https:` URL that `URL` parses,
 * without trailing punctuation; nothing else (`javascript:`, `data:`, bare domains) is a link.
 * A mention is `@nickname`; `me` is true when it names `meNickname` (case-insensitive).
 */
export function tokenize(content, meNickname = '') {
  const tokens = [];
  let last = 0;
  const push = (token) => {
    const prev = tokens.at(-1);
    if (token.type === 'text' && prev?.type === 'text') prev.text += token.text;
    else if (token.type !== 'text' || token.text) tokens.push(token);
  };
  for (const match of content.matchAll(TOKEN)) {
    let start = match.index;
    let token;
    if (match[1]) {
      const raw = trimUrl(match[1]);
      token = linkToken(raw);
      push({ type: 'text', text: content.slice(last, start) });
      push(token ?? { type: 'text', text: raw });
      last = start + raw.length;
      continue;
    }
    start += match[2].length;
    const name = match[3];
    token = { type: 'mention', text: `@${name}`, name, me: name.toLowerCase() === meNickname.toLowerCase() };
    push({ type: 'text', text: content.slice(last, start) });
    push(token);
    last = start + name.length + 1;
  }
  push({ type: 'text', text: content.slice(last) });
  return tokens;
}

/** Drops trailing punctuation from a URL, keeping a `)` that closes a `(` inside it. */
function trimUrl(candidate) {
  let raw = candidate.replace(TRAILING, '');
  const cut = candidate.slice(raw.length);
  const open = (s) => s.split('(').length - s.split(')').length;
  if (cut.startsWith(')') && open(raw) > 0) raw += ')';
  return raw;
}

function linkToken(raw) {
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return { type: 'link', text: raw, href: url.href };
  } catch {
    return null;
  }
}
