import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConnectionRegistry } from '../transport/connection.registry.js';
import { ChatRooms } from './chat-rooms.js';

/** How often each instance re-asks the room policy about the rooms its sockets follow. */
export const ROOM_RECHECK_MS = 5_000;
/** Most (room, user) pairs one re-check asks the policy about; the others wait for the next ones. */
export const ROOM_RECHECK_BATCH = 200;

/**
 * The slow path of access changes: every `ROOM_RECHECK_MS` each instance re-asks the policy
 * about up to `ROOM_RECHECK_BATCH` of the (room, user) pairs its sockets follow, going round
 * all of them in turn, and unfollows those the user may no longer read (`left`, reason
 * `access`). It bounds how long a socket keeps following a room whose change was never
 * announced (`ChatRooms.accessChanged` not called, or lost with the bus) or raced with its
 * `join`, at a bounded cost to the policy: at most `ROOM_RECHECK_BATCH` questions per period.
 */
@Injectable()
export class RoomFollowRecheck implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RoomFollowRecheck.name);
  private timer: NodeJS.Timeout | null = null;
  private pending: Array<[room: string, userId: number]> = [];
  /** The re-check running or last run: runs never overlap. */
  private tail: Promise<number> = Promise.resolve(0);

  constructor(
    private readonly rooms: ChatRooms,
    private readonly connections: ConnectionRegistry,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.run(), ROOM_RECHECK_MS).unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /**
   * Re-checks the next batch of followed (room, user) pairs, after any re-check still running;
   * resolves how many sockets it unfollowed.
   */
  run(): Promise<number> {
    const next = this.tail.then(() => this.runOnce());
    this.tail = next;
    return next;
  }

  private async runOnce(): Promise<number> {
    try {
      if (this.pending.length === 0) this.pending = this.followedPairs();
      const batch = this.pending.splice(0, ROOM_RECHECK_BATCH);
      const unfollowed = await Promise.all(batch.map(([room, userId]) => this.rooms.revokeUnreadable(room, userId)));
      return unfollowed.reduce((sum, n) => sum + n, 0);
    } catch (error) {
      this.logger.warn(`room follow re-check failed: ${(error as Error).message}`);
      return 0;
    }
  }

  /** Every (room, user) pair followed on this node right now, each once. */
  private followedPairs(): Array<[string, number]> {
    const pairs: Array<[string, number]> = [];
    for (const room of this.connections.followedRooms()) {
      const users = new Set<number>();
      for (const connection of this.connections.followersOf(room)) users.add(connection.user.id);
      for (const userId of users) pairs.push([room, userId]);
    }
    return pairs;
  }
}
