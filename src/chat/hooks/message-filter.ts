/** What the host's message filter is shown: a message about to be stored, new or edited. */
export interface FilteredMessage {
  /** `create` for a new message, `edit` for new content of message `messageId`. */
  kind: 'create' | 'edit';
  messageId: number | null;
  senderId: number;
  senderNickname: string;
  /** Null for a room message. */
  recipientId: number | null;
  content: string;
}

/**
 * The host filter's answer: nothing (or `{ action: 'accept' }`) lets the message through;
 * `reject` refuses it, and the sender gets an `invalid_message` error whose message is
 * `reason`; `rewrite` stores `content` instead (it must still be valid message content).
 */
export type MessageFilterVerdict =
  | void
  | undefined
  | { action: 'accept' }
  | { action: 'reject'; reason: string }
  | { action: 'rewrite'; content: string };

/**
 * A host's spam or profanity filter, sync or async, run on every new and edited message
 * before anything is stored (after validation and the rate limit). A filter that throws
 * refuses the message with `internal`; nothing is stored.
 */
export type MessageFilter = (message: FilteredMessage) => MessageFilterVerdict | Promise<MessageFilterVerdict>;
