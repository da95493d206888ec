import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { FanoutBus } from '../fanout/fanout.bus.js';
import { serializedFrameType } from '../protocol/frame-types.js';
import type { OnlineUsersFrame } from '../protocol/frames.js';
import { PresenceService } from './presence.service.js';

/** Frame types that change the online list. */
const PRESENCE_CHANGES: ReadonlySet<string | null> = new Set(['user_joined', 'user_left']);

/** Longest a snapshot is reused without a presence event (covers events lost in a bus outage). */
const MAX_SNAPSHOT_AGE_MS = 2_000;

/**
 * The `online_users` frame, read once and shared by every socket that asks until presence
 * changes: a burst of connections costs one presence read and one serialization, not one
 * per socket. Any `user_joined`/`user_left` passing through the bus drops the snapshot; a
 * read that overlapped such an event is used once and not kept, so a socket registered
 * before its read never misses a change (it gets either the event or a list with it).
 */
@Injectable()
export class OnlineUsersSnapshot implements OnModuleInit, OnModuleDestroy {
  private version = 0;
  private cached: { frame: OnlineUsersFrame; at: number } | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(
    @Inject(FanoutBus) private readonly bus: FanoutBus,
    private readonly presence: PresenceService,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.bus.subscribe((envelope) => {
      if (envelope.kind === 'everyone' && PRESENCE_CHANGES.has(serializedFrameType(envelope.frame))) this.invalidate();
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /** The current online list as a frame object that must not be modified. */
  async frame(): Promise<OnlineUsersFrame> {
    const now = Date.now();
    if (this.cached && now - this.cached.at < MAX_SNAPSHOT_AGE_MS) return this.cached.frame;
    const version = this.version;
    const frame: OnlineUsersFrame = { type: 'online_users', users: await this.presence.online() };
    if (version === this.version) this.cached = { frame, at: now };
    return frame;
  }

  private invalidate(): void {
    this.version += 1;
    this.cached = null;
  }
}
