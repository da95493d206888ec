import type { PublicUser } from '../protocol/frames.js';

/**
 * Who is online, across every node. A node reports a user with `add` when the user's
 * first present socket on that node appears and `remove` when the last one goes; the
 * store answers whether that changed the user's state cluster-wide, so exactly one node
 * announces each offline↔online change. Calls for one user are made one at a time by a
 * node (never concurrently).
 */
export interface PresenceStore {
  /**
   * True when the store itself publishes `user_joined` / `user_left` for every change it
   * reports (atomically with the change, so in the order changes happen across nodes);
   * the caller then announces nothing and the `onVanished` / `onRestored` listeners are
   * not called. Absent or false: the caller announces.
   */
  readonly announcesChanges?: boolean;
  /** Resolves true when the user was offline everywhere before this call. */
  add(user: PublicUser): Promise<boolean>;
  /** Resolves true when the user is now offline everywhere. */
  remove(userId: number): Promise<boolean>;
  /** Every online user exactly once, ordered by id. */
  online(): Promise<PublicUser[]>;
  /** The subset of `userIds` that is online. */
  onlineAmong(userIds: number[]): Promise<Set<number>>;
  /**
   * Registers a listener for users who went offline without a `remove` from this node
   * (another node died); the store calls it so that exactly one node announces them.
   */
  onVanished(listener: (users: PublicUser[]) => void): void;
  /**
   * Registers a listener for users who came online without an `add` of this node saying
   * so (this node re-registered its users after losing the store); exactly one node
   * reports each.
   */
  onRestored(listener: (users: PublicUser[]) => void): void;
  close(): Promise<void>;
}

/** Injection token of the `PresenceStore`. */
export const PresenceStore = Symbol('PresenceStore');
