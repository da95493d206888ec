/**
 * What travels between nodes. `frame` is the serialized server frame, made once by the
 * publisher; nodes hand those exact bytes to their sockets.
 * - `everyone`: every open socket on every node;
 * - `users`: every open socket of the listed users;
 * - `room`: every open socket that follows the room (joined it), never lobby (that is `everyone`);
 * - `room_access`: the forum changed who may read these rooms: every node re-asks the room
 *   policy for each socket following one of them (no frame);
 * - `end_sessions`: close every socket opened with one of these sessions (4401).
 */
export type FanoutEnvelope =
  | { kind: 'everyone'; frame: string }
  | { kind: 'users'; userIds: number[]; frame: string }
  | { kind: 'room'; room: string; frame: string }
  | { kind: 'room_access'; rooms: string[] }
  | { kind: 'end_sessions'; sessionKeys: string[] };

/** Receives every envelope published on the bus, by any node, this one included. */
export type FanoutHandler = (envelope: FanoutEnvelope) => void;

/**
 * The one delivery path of the chat: every message, presence change and session end is
 * published here, and each node delivers to its own sockets when the bus hands the
 * envelope back — even on a single node. Guarantees: each subscribed node receives each
 * envelope at most once; every node receives the envelopes in one and the same order,
 * the order in which their `publish` calls were accepted by the bus (so envelopes
 * published one after the other — the next `publish` called after the previous one
 * resolved, on any node — arrive in that order everywhere). A bus that shards by room
 * (`watchRoom`) keeps that order per room (`room` and `room_access` of that room) and
 * among all other envelopes, not between a room and the rest. `publish` rejects when the
 * envelope could not be handed to the bus (the caller decides what that means for its
 * user); `FanoutUnavailableError` says the bus is known to be down and the outage has
 * already been reported, so the caller need not log it again.
 */
export interface FanoutBus {
  publish(envelope: FanoutEnvelope): Promise<void>;
  /** Starts handing envelopes to `handler`; the returned function stops it. */
  subscribe(handler: FanoutHandler): () => void;
  close(): Promise<void>;
  /**
   * Optional, synchronous and cheap (no round trip): whether the bus can take envelopes
   * right now, as `/health` reports it (e.g. a Redis bus: its connection is ready).
   * A bus without it counts as healthy.
   */
  isHealthy?(): boolean;
  /**
   * Optional, for a bus that delivers a room's envelopes only to the nodes that ask for
   * them: from now on this node receives `room`'s envelopes; resolves once that holds. The
   * node calls it for every socket that starts following the room, and `unwatchRoom` when
   * its last follower of the room stops. A bus without it delivers every room everywhere.
   */
  watchRoom?(room: string): Promise<void>;
  /** Optional, paired with `watchRoom`: this node no longer needs `room`'s envelopes. */
  unwatchRoom?(room: string): void;
  /**
   * Optional and cheap: how many times the bus's connections were lost since it started
   * (`chat_fanout_outages_total`). A bus without it never has outages.
   */
  outages?(): number;
}

/** Injection token of the `FanoutBus`. */
export const FanoutBus = Symbol('FanoutBus');

/**
 * `publish` failed because the bus is down (not because of the envelope). The bus logged
 * the outage once and counts the failures; callers should not log each one.
 */
export class FanoutUnavailableError extends Error {
  override name = 'FanoutUnavailableError';
}
