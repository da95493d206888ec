import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { FanoutBus, FanoutEnvelope } from '../fanout/fanout.bus.js';
import { KnownAbsences } from './known-absences.js';

/** How long a connect may skip the store for a user found without blocks or mute (bounds a lost notice). */
export const MODERATION_READ_TTL_MS = 30_000;
/** Most users remembered per kind of read; the oldest go first. */
export const MODERATION_READ_MAX_ENTRIES = 100_000;

/** How a serialized `blocks` / `muted` frame starts (the server writes `type` first). */
const BLOCKS_FRAME = '{"type":"blocks"';
const MUTED_FRAME = '{"type":"muted"';

/**
 * The users this instance read recently without any block list or without a mute in a room,
 * so that a connect need not ask the store again for them. Exact across instances in the
 * way connected sockets are: every stored block change and every mute is announced on the
 * fan-out bus to the user's sockets on every instance (`blocks`, `muted`), and each
 * instance forgets the user here when that announcement passes; after a bus outage
 * (announcements may have been lost) it forgets everyone, and again when the bus is
 * healthy once more (what was read during the outage is not kept). A notice the bus refused to take
 * is only covered by `MODERATION_READ_TTL_MS`: the store is asked again that much later at
 * most. What a read returns decides nothing else: posting and private messages are checked
 * against the store.
 */
@Injectable()
export class ModerationReadsCache implements OnModuleInit, OnModuleDestroy {
  private readonly blockingNobody = this.absences();
  private readonly unmutedByRoom = new Map<string, KnownAbsences>();
  private outagesSeen = 0;
  private healthySeen = true;
  private unsubscribe: (() => void) | null = null;

  constructor(@Inject(FanoutBus) private readonly bus: FanoutBus) {}

  onModuleInit(): void {
    this.outagesSeen = this.bus.outages?.() ?? 0;
    this.unsubscribe = this.bus.subscribe((envelope) => this.apply(envelope));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /** Users read recently with an empty block list. */
  usersBlockingNobody(): KnownAbsences {
    this.forgetAllAfterOutage();
    return this.blockingNobody;
  }

  /** Users read recently without a mute in `room`. */
  usersUnmutedIn(room: string): KnownAbsences {
    this.forgetAllAfterOutage();
    let absences = this.unmutedByRoom.get(room);
    if (!absences) this.unmutedByRoom.set(room, (absences = this.absences()));
    return absences;
  }

  /** A user was muted in `room` by this instance (before its notice travels). */
  muted(room: string, userId: number): void {
    this.unmutedByRoom.get(room)?.forget(userId);
  }

  private apply(envelope: FanoutEnvelope): void {
    if (envelope.kind !== 'users') return;
    if (envelope.frame.startsWith(BLOCKS_FRAME)) {
      for (const userId of envelope.userIds) this.blockingNobody.forget(userId);
    } else if (envelope.frame.startsWith(MUTED_FRAME)) {
      for (const absences of this.unmutedByRoom.values())
        for (const userId of envelope.userIds) absences.forget(userId);
    }
  }

  /**
   * Forgets everyone once the bus has lost a connection, while it is not healthy (a read
   * kept now may miss a notice that never arrives) and once more when it is healthy again.
   */
  private forgetAllAfterOutage(): void {
    const outages = this.bus.outages?.() ?? 0;
    const healthy = this.bus.isHealthy?.() !== false;
    if (outages === this.outagesSeen && healthy && this.healthySeen) return;
    this.outagesSeen = outages;
    this.healthySeen = healthy;
    this.blockingNobody.clear();
    for (const absences of this.unmutedByRoom.values()) absences.clear();
  }

  private absences(): KnownAbsences {
    return new KnownAbsences(MODERATION_READ_TTL_MS, MODERATION_READ_MAX_ENTRIES);
  }
}
