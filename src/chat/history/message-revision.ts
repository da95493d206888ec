import type { StoredMessage } from './message.store.js';

/**
 * Adds a stored row's edit and deletion times to `message`, as optional fields present only
 * when set (a message never changed has neither), whatever numeric type the driver returned.
 */
export function withRevision(
  message: StoredMessage,
  editedAt: number | string | null,
  deletedAt: number | string | null,
): StoredMessage {
  if (editedAt !== null) message.editedAt = Number(editedAt);
  if (deletedAt !== null) message.deletedAt = Number(deletedAt);
  return message;
}

/** Visibility of a message to a viewer, as `history` and `since` apply it: public, or sent or received by them. */
export function visibleTo(message: StoredMessage, viewerId: number): boolean {
  return message.recipientId === null || message.senderId === viewerId || message.recipientId === viewerId;
}
