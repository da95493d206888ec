/** Most distinct nicknames one message can mention; more are left unresolved. */
export const MAX_MENTIONS = 20;

/** `@nickname` (the nickname rules: 3–32 letters, digits, `_`, `-`), not inside a word or an address. */
const MENTION = /(?<![A-Za-z0-9_.@-])@([A-Za-z0-9_-]{3,32})(?![A-Za-z0-9_-])/g;

/** Whether `content` may mention anyone: false when it has no `@` (then `mentionedNicknames` is empty). */
export function mayMention(content: string): boolean {
  return content.includes('@');
}

/** The distinct nicknames `content` mentions, lower-cased, in order of appearance, at most MAX_MENTIONS. */
export function mentionedNicknames(content: string): string[] {
  const found = new Set<string>();
  for (const match of content.matchAll(MENTION)) {
    found.add(match[1].toLowerCase());
    if (found.size === MAX_MENTIONS) break;
  }
  return [...found];
}
