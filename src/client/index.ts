/**
 * The typed forum-chat client: works in browsers (native `WebSocket`) and in Node
 * (the `ws` package), with reconnect, resume and at-least-once sending built in.
 */
export {
  ChatClient,
  type ChatClientOptions,
  type ChatMessageOptions,
  type ReadTarget,
  type SentMessage,
} from './chat-client.js';
export type { ChatClientEvents, OutgoingMessage, ServerFrameEvents } from './chat-client.events.js';
export { ChatRequestError, type ChatRequestFailure } from './chat-client.errors.js';
export type { ConnectionState } from './connection-state.js';
export { backoffCeiling, backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
export { browserWakeSignals, type WakeSignals } from './wake-signals.js';
export { SeenMessages } from './seen-messages.js';
export { Outbox } from './outbox.js';
export { OnlinePresence, withCapabilities } from './online-presence.js';
export type { ChatCapability } from '../chat/protocol/capabilities.js';
export { newClientId } from './client-id.js';
export type { WebSocketConstructor, WebSocketLike } from './websocket-like.js';
export { CloseCode } from '../chat/protocol/close-codes.js';
export type * from '../chat/protocol/frames.js';
