/** The conversation of a message: 0/0 for the public room, else the two user ids in order. */
export function conversationOf(a: number, b: number | null): [number, number] {
  if (b === null) return [0, 0];
  return a < b ? [a, b] : [b, a];
}

/**
 * The key that orders a message's `onStored` among the messages of the same conversation:
 * the user pair for a private message, `0:0` for lobby (as before rooms), `room:<id>` for any
 * other room.
 */
export function orderingKeyOf(message: { senderId: number; recipientId: number | null; room?: string | null }): string {
  if (message.recipientId === null && message.room != null && message.room !== 'lobby') return `room:${message.room}`;
  const [lo, hi] = conversationOf(message.senderId, message.recipientId);
  return `${lo}:${hi}`;
}
