/**
 * Hash tag of what every node of a Redis Cluster deployment reads and writes: the presence
 * keys and the `everyone` channel. One tag, so one slot: the presence scripts touch only
 * keys of that slot and publish their announcements (`SPUBLISH`) on a channel of that same
 * slot, which a cluster requires of a script.
 */
export const SHARED_SLOT_TAG = '{chat}';

/**
 * Redis names of one deployment (`keyPrefix`). On one Redis they are those of earlier
 * releases: one channel `<prefix>fanout` and presence keys `<prefix>presence:…`. On a
 * Redis Cluster:
 * - `<prefix>{chat}:fanout`: shard channel of everything every node receives (lobby
 *   messages, presence changes, private frames, session ends);
 * - `<prefix>fanout:room:{<room>}`: shard channel of one room (its messages, typing and
 *   access changes), hashed by the room id, so each room lives on one shard and only the
 *   nodes with a follower of the room subscribe to it;
 * - `<prefix>{chat}:presence:…`: the presence keys, on the slot of the `everyone` channel.
 */
export class RedisChannels {
  constructor(
    private readonly keyPrefix: string,
    /** True on a Redis Cluster: sharded channels, hash-tagged names. */
    readonly sharded: boolean,
  ) {}

  /** The channel every node subscribes to. */
  get everyone(): string {
    return this.sharded ? `${this.keyPrefix}${SHARED_SLOT_TAG}:fanout` : `${this.keyPrefix}fanout`;
  }

  /** The shard channel of `room` (on a Redis Cluster only; on one Redis rooms travel on `everyone`). */
  room(room: string): string {
    return `${this.keyPrefix}fanout:room:{${room}}`;
  }

  /** The room whose shard channel `channel` is, or null. */
  roomOf(channel: string): string | null {
    const head = `${this.keyPrefix}fanout:room:{`;
    return channel.startsWith(head) && channel.endsWith('}') ? channel.slice(head.length, -1) : null;
  }

  /** What every presence key name starts with (the presence scripts append `presence:…`). */
  get presenceKeyBase(): string {
    return this.sharded ? `${this.keyPrefix}${SHARED_SLOT_TAG}:` : this.keyPrefix;
  }

  /** The publish command of a channel: `SPUBLISH` on a Redis Cluster, `PUBLISH` on one Redis. */
  get publishCommand(): 'SPUBLISH' | 'PUBLISH' {
    return this.sharded ? 'SPUBLISH' : 'PUBLISH';
  }
}
