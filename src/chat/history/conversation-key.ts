/** The conversation of a message: 0/0 for the public room, else the two user ids in order. */
export function conversationOf(a: number, b: number | null): [number, number] {
  if (b === null) return [0, 0];
  return a < b ? [a, b] : [b, a];
}
