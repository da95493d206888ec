import type { ChatPrincipal } from './auth/chat-principal.js';
import type { PublicUser, ServerFrame } from './protocol/frames.js';

/**
 * One open socket as the use cases see it, free of any transport detail. `send` queues
 * a frame for this socket only, after every frame queued before it; it never blocks and
 * never throws (a socket that cannot keep up is closed by the transport).
 */
export interface ChatClient {
  readonly id: number;
  readonly user: PublicUser;
  readonly principal: ChatPrincipal;
  /** Whether this socket counts toward presence (false after `leave`). */
  present: boolean;
  send(frame: ServerFrame): void;
}
