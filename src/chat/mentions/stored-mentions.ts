import type { StoredMessage } from '../history/message.store.js';

/** The `mentions` column of a message: the ids as a JSON array, null when none. */
export function mentionsColumn(mentions: readonly number[] | undefined): string | null {
  return mentions && mentions.length > 0 ? JSON.stringify(mentions) : null;
}

/** The mentions of a message after an edit that mentions `added`: both, ascending, once each; undefined when none. */
export function mergedMentions(
  mentions: readonly number[] | undefined,
  added: readonly number[] | undefined,
): number[] | undefined {
  const merged = [...new Set([...(mentions ?? []), ...(added ?? [])])].sort((a, b) => a - b);
  return merged.length > 0 ? merged : undefined;
}

/** `message` with the mentions its row holds (`mentions` absent when none). */
export function withMentions(message: StoredMessage, column: string | null | undefined): StoredMessage {
  if (!column) return message;
  return { ...message, mentions: (JSON.parse(column) as Array<number | string>).map(Number) };
}
