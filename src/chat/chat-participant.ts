import type { SocketPrincipal } from './auth/chat-principal.js';
import type { ChatCapability } from './protocol/capabilities.js';
import type { PublicUser, ServerFrame } from './protocol/frames.js';

/**
 * One open socket as the use cases see it, free of any transport detail (the server-side
 * participant of a chat, not the typed client the package exports). `send` queues a frame
 * for this socket only, after every frame queued before it; it never blocks and never
 * throws (a socket that cannot keep up is closed by the transport).
 */
export interface ChatParticipant {
  readonly id: number;
  readonly user: PublicUser;
  readonly principal: SocketPrincipal;
  /** What the client negotiated at connect (`caps`). */
  readonly capabilities: ReadonlySet<ChatCapability>;
  /** Whether this socket counts toward presence (false after `leave` and once it is gone). */
  readonly present: boolean;
  /** Counts this socket toward presence again; false when it already counted. */
  enterPresence(): boolean;
  /** Stops counting this socket toward presence; false when it did not count. */
  leavePresence(): boolean;
  /** The rooms other than lobby this socket follows (joined, and may still read). */
  readonly rooms: ReadonlySet<string>;
  /** The users this user blocks: their room messages reach this socket flagged `blocked`. */
  readonly blockedUserIds: ReadonlySet<number>;
  /** Replaces the block list (the user blocked or unblocked someone, on any instance). */
  useBlockList(blocked: ReadonlySet<number>): void;
  send(frame: ServerFrame): void;
  /** The most frames that may wait for this socket before it is cut (absent: no limit known). */
  readonly sendQueueCapacity?: number;
  /**
   * Resolves once fewer than `frames` frames wait for this socket (or it is closing), so a
   * large reply can be paced to a slow reader (`sendPaced`). Absent: sends are not paced.
   */
  whenSendQueueBelow?(frames: number): Promise<void>;
}
