/**
 * What travels between nodes. `frame` is the serialized server frame, made once by the
 * publisher; nodes hand those exact bytes to their sockets.
 * - `everyone`: every open socket on every node;
 * - `users`: every open socket of the listed users;
 * - `end_sessions`: close every socket opened with one of these sessions (4401).
 */
export type FanoutEnvelope =
  | { kind: 'everyone'; frame: string }
  | { kind: 'users'; userIds: number[]; frame: string }
  | { kind: 'end_sessions'; sessionKeys: string[] };

/** Receives every envelope published on the bus, by any node, this one included. */
export type FanoutHandler = (envelope: FanoutEnvelope) => void;

/**
 * The one delivery path of the chat: every message, presence change and session end is
 * published here, and each node delivers to its own sockets when the bus hands the
 * envelope back — even on a single node. Guarantees: each subscribed node receives each
 * envelope at most once; envelopes published by one node arrive at every node in the
 * order they were published. `publish` rejects when the envelope could not be handed to
 * the bus (the caller decides what that means for its user).
 */
export interface FanoutBus {
  publish(envelope: FanoutEnvelope): Promise<void>;
  /** Starts handing envelopes to `handler`; the returned function stops it. */
  subscribe(handler: FanoutHandler): () => void;
  close(): Promise<void>;
}

/** Injection token of the `FanoutBus`. */
export const FanoutBus = Symbol('FanoutBus');
