import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { FanoutBus } from '../fanout/fanout.bus.js';
import { serializedFrameType } from '../protocol/frame-types.js';
import type { PresenceChangeFrame, PublicUser } from '../protocol/frames.js';
import { presenceChangeFrame } from '../protocol/presence-change-frame.js';
import { timestamp } from '../protocol/timestamp.js';
import { PresenceService } from './presence.service.js';
import { SortedIds } from './sorted-ids.js';

/** One user's change as the roster applied it; `frame` is the `user_joined`/`user_left` as published. */
export interface RosterChange {
  user: PublicUser;
  online: boolean;
  frame: string;
}

/** How often the roster checks whether the bus lost contact since its last look (and reloads if so). */
const OUTAGE_CHECK_MS = 1_000;

/**
 * This node's copy of who is online cluster-wide, kept by the presence changes that pass
 * through the fan-out bus (one envelope per change, whoever announced it), so reading the
 * count or a page costs no round trip and no copy of the whole list. Exact: it is loaded
 * once at start and reloaded after every bus outage (events may be lost while the bus is
 * down); a change that arrives while a load is under way wins over the loaded list for
 * that user, so a late reply never undoes a newer change. Listeners see each change that
 * altered the roster, in bus order.
 */
@Injectable()
export class OnlineRoster implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(OnlineRoster.name);
  private readonly users = new Map<number, string>();
  private readonly ids = new SortedIds();
  private readonly listeners: Array<(change: RosterChange) => void> = [];
  /** Callers waiting for a user to be online here (`whenOnline`). */
  private readonly waiters = new Map<number, Array<() => void>>();
  /** Per load under way: the users a bus change touched since it started. */
  private readonly loads = new Set<Set<number>>();
  private unsubscribe: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private outagesSeen = 0;
  /** Increases with every change; equal versions mean an equal roster. */
  version = 0;

  constructor(
    @Inject(FanoutBus) private readonly bus: FanoutBus,
    private readonly presence: PresenceService,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.bus.subscribe((envelope) => {
      if (envelope.kind !== 'everyone') return;
      const type = serializedFrameType(envelope.frame);
      if (type === 'user_joined' || type === 'user_left') this.applyFrame(envelope.frame);
    });
    this.outagesSeen = this.bus.outages?.() ?? 0;
    if (this.bus.outages) this.timer = setInterval(() => this.reloadAfterOutage(), OUTAGE_CHECK_MS).unref();
    void this.reload();
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
  }

  /** Called with every change that altered the roster. */
  onChange(listener: (change: RosterChange) => void): void {
    this.listeners.push(listener);
  }

  /** How many users are online. */
  get count(): number {
    return this.users.size;
  }

  /** Whether `userId` is online. */
  has(userId: number): boolean {
    return this.users.has(userId);
  }

  /**
   * Resolves once `userId` is online in this roster, or after `timeoutMs` (a lost
   * announcement must not hold a caller forever). Lets a node answer a user who just came
   * online with a list that includes them, though in a cluster the announcement reaches
   * this node a moment after the store changed.
   */
  whenOnline(userId: number, timeoutMs: number): Promise<void> {
    if (this.users.has(userId)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        const list = this.waiters.get(userId)?.filter((w) => w !== done) ?? [];
        if (list.length > 0) this.waiters.set(userId, list);
        else this.waiters.delete(userId);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs).unref();
      this.waiters.set(userId, [...(this.waiters.get(userId) ?? []), done]);
    });
  }

  /** Up to `limit` online users with an id above `after`, by id, and whether more follow. */
  page(after: number, limit: number): { users: PublicUser[]; hasMore: boolean } {
    const { ids, hasMore } = this.ids.after(after, limit);
    return { users: ids.map((id) => ({ id, nickname: this.users.get(id)! })), hasMore };
  }

  /** Reads the whole list from the presence store and applies what differs (start, after an outage). */
  async reload(): Promise<void> {
    const touched = new Set<number>();
    this.loads.add(touched);
    let listed: PublicUser[];
    try {
      listed = await this.presence.online();
    } catch (error) {
      this.logger.warn(`could not load the online list: ${(error as Error).message}`);
      return;
    } finally {
      this.loads.delete(touched);
    }
    const listedIds = new Set(listed.map((user) => user.id));
    for (const user of listed) if (!touched.has(user.id)) this.apply(user, true, presenceFrame('user_joined', user));
    for (const [id, nickname] of [...this.users]) {
      if (!listedIds.has(id) && !touched.has(id))
        this.apply({ id, nickname }, false, presenceFrame('user_left', { id, nickname }));
    }
  }

  /** Once the bus is healthy again after an outage, reloads (changes may have been lost meanwhile). */
  private reloadAfterOutage(): void {
    const outages = this.bus.outages?.() ?? 0;
    if (outages === this.outagesSeen || this.bus.isHealthy?.() === false) return;
    this.outagesSeen = outages;
    void this.reload();
  }

  private applyFrame(frame: string): void {
    const parsed = this.presence.publishedFrame(frame) ?? (JSON.parse(frame) as PresenceChangeFrame);
    for (const touched of this.loads) touched.add(parsed.user_id);
    this.apply({ id: parsed.user_id, nickname: parsed.nickname }, parsed.type === 'user_joined', frame);
  }

  private apply(user: PublicUser, online: boolean, frame: string): void {
    if (online === this.users.has(user.id)) return;
    if (online) {
      this.users.set(user.id, user.nickname);
      this.ids.add(user.id);
      for (const waiter of this.waiters.get(user.id) ?? []) waiter();
    } else {
      this.users.delete(user.id);
      this.ids.delete(user.id);
    }
    this.version += 1;
    const change = { user: { id: user.id, nickname: user.nickname }, online, frame };
    for (const listener of this.listeners) listener(change);
  }
}

/** A `user_joined`/`user_left` frame made by this node (a difference found by a reload). */
function presenceFrame(type: PresenceChangeFrame['type'], user: PublicUser): string {
  return JSON.stringify(presenceChangeFrame(type, user, timestamp()));
}
