import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { FanoutBus } from '../fanout/fanout.bus.js';
import { publishOnBus } from '../fanout/publish-on-bus.js';
import type { PresenceChangeFrame, PublicUser } from '../protocol/frames.js';
import { presenceChangeFrame } from '../protocol/presence-change-frame.js';
import { timestamp } from '../protocol/timestamp.js';
import { KeyedSerializer } from '../ordering/keyed-serializer.js';
import { PresenceStore } from './presence.store.js';

/**
 * Online users. Counts this node's present sockets per user (several tabs count once)
 * and tells the `PresenceStore` only when a user's first socket on this node appears or
 * the last one goes; when the store reports a cluster-wide offline↔online change, exactly
 * one `user_joined` / `user_left` is published to everyone. Changes of one user are
 * applied in the order they happen.
 */
@Injectable()
export class PresenceService implements OnModuleInit {
  private readonly logger = new Logger(PresenceService.name);
  private readonly localSockets = new Map<number, number>();
  private readonly serializer = new KeyedSerializer<number>();
  /** The announcements this node is publishing, by their text, so this node's roster need not parse them back. */
  private readonly publishing = new Map<string, PresenceChangeFrame>();

  constructor(
    @Inject(PresenceStore) private readonly store: PresenceStore,
    @Inject(FanoutBus) private readonly bus: FanoutBus,
  ) {}

  onModuleInit(): void {
    this.store.onVanished((users) => {
      for (const user of users) void this.announce('user_left', user);
    });
    this.store.onRestored((users) => {
      for (const user of users) void this.announce('user_joined', user);
    });
  }

  /** One more present socket of `user` on this node. */
  attach(user: PublicUser): Promise<void> {
    const count = (this.localSockets.get(user.id) ?? 0) + 1;
    this.localSockets.set(user.id, count);
    if (count > 1) return Promise.resolve();
    return this.serializer.run(user.id, async () => {
      if ((await this.store.add(user)) && !this.store.announcesChanges) await this.announce('user_joined', user);
    });
  }

  /** One present socket of `user` on this node fewer. */
  detach(user: PublicUser): Promise<void> {
    const count = (this.localSockets.get(user.id) ?? 0) - 1;
    if (count < 0) return Promise.resolve();
    if (count > 0) {
      this.localSockets.set(user.id, count);
      return Promise.resolve();
    }
    this.localSockets.delete(user.id);
    return this.serializer.run(user.id, async () => {
      if ((await this.store.remove(user.id)) && !this.store.announcesChanges) await this.announce('user_left', user);
    });
  }

  /** Every online user exactly once (cluster-wide). */
  online(): Promise<PublicUser[]> {
    return this.store.online();
  }

  /** Which of `userIds` are online (cluster-wide). */
  onlineAmong(userIds: number[]): Promise<Set<number>> {
    return this.store.onlineAmong(userIds);
  }

  /**
   * The frame of an announcement this node is publishing right now, given its text as the
   * bus hands it back (undefined for any other text): the roster's shortcut past parsing it.
   */
  publishedFrame(text: string): PresenceChangeFrame | undefined {
    return this.publishing.size === 0 ? undefined : this.publishing.get(text);
  }

  private async announce(type: PresenceChangeFrame['type'], user: PublicUser): Promise<void> {
    const frame = presenceChangeFrame(type, user, timestamp());
    const text = JSON.stringify(frame);
    this.publishing.set(text, frame);
    try {
      await publishOnBus(this.bus, { kind: 'everyone', frame: text }, `${type} of user ${user.id}`, this.logger);
    } finally {
      this.publishing.delete(text);
    }
  }
}
