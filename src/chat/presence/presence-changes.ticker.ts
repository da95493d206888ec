import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { RESOLVED_CHAT_OPTIONS, type ResolvedChatOptions } from '../chat.options.js';
import type { PresenceFrame, PublicUser } from '../protocol/frames.js';
import { ConnectionRegistry } from '../transport/connection.registry.js';
import { OnlineRoster, type RosterChange } from './online-roster.js';
import { PRESENCE_FRAMES_PER_SECOND } from './presence-limits.js';
import { PresencePacing } from './presence-pacing.js';

/**
 * Coalesced presence for sockets that negotiated `presence_changes`: the users whose state
 * changed since the last frame go out as one `presence` frame, serialized once and queued
 * as the same bytes on each of those sockets. Each changed user is listed once, with their
 * state when the frame goes, so a client that applies every frame to what it knows holds
 * the roster as it was then (a join and a leave between two frames list the user under
 * `left`). A frame with more than `presenceChangesPerFrame` changed users carries only the
 * exact count (`overflow`). No change, no frame.
 *
 * Pending changes are looked at every tick (`presenceTickMs`); a frame goes at the first
 * tick `PresencePacing` allows, which bounds what a storm costs whatever its size: the
 * frames a node writes per second, the users a socket gets listed per second, and the
 * count-only frames a client gets while a storm goes on — with the exact count once the
 * changes slow down below `presenceChangesPerFrame` per second, at the first tick the
 * node's rate and the listing pause allow.
 */
@Injectable()
export class PresenceChangesTicker implements OnModuleInit, OnModuleDestroy {
  private readonly changed = new Map<number, string>();
  private readonly pacing: PresencePacing;
  private timer: NodeJS.Timeout | null = null;
  /** Changes recorded since the last tick looked, and when it looked (epoch ms). */
  private changesSinceTick = 0;
  private lastTickAt = Date.now();

  constructor(
    @Inject(RESOLVED_CHAT_OPTIONS) private readonly options: ResolvedChatOptions,
    private readonly roster: OnlineRoster,
    private readonly connections: ConnectionRegistry,
  ) {
    this.pacing = new PresencePacing(options.presenceChangesPerFrame);
  }

  onModuleInit(): void {
    this.roster.onChange((change) => this.record(change));
  }

  onModuleDestroy(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private record(change: RosterChange): void {
    this.changed.set(change.user.id, change.user.nickname);
    this.changesSinceTick += 1;
    if (this.timer) return;
    this.lastTickAt = Date.now();
    this.timer = setTimeout(() => this.tick(), this.options.presenceTickMs).unref();
  }

  /** The node's rate bound: sockets ÷ `PRESENCE_FRAMES_PER_SECOND`, in ms. */
  private nodeIntervalMs(): number {
    return Math.ceil((1000 * this.connections.size) / PRESENCE_FRAMES_PER_SECOND);
  }

  /** Sends the pending changes if the pacing allows, else looks again at a later tick. */
  private tick(): void {
    this.timer = null;
    if (this.changed.size === 0) return;
    const now = Date.now();
    const calm = this.pacing.isCalm(this.changesSinceTick, now - this.lastTickAt);
    this.changesSinceTick = 0;
    this.lastTickAt = now;
    const interval = this.nodeIntervalMs();
    if (this.pacing.mayFlush(now, interval, calm)) return this.flush(now);
    const wait = Math.max(this.options.presenceTickMs, this.pacing.earliest(interval) - now);
    this.timer = setTimeout(() => this.tick(), wait).unref();
  }

  /** Sends one frame with the pending changes to every `presence_changes` socket. */
  private flush(now: number): void {
    const frame: PresenceFrame = { type: 'presence', count: this.roster.count, joined: [], left: [], overflow: false };
    if (this.changed.size > this.options.presenceChangesPerFrame) frame.overflow = true;
    else {
      for (const [id, nickname] of [...this.changed].sort((a, b) => a[0] - b[0])) {
        const user: PublicUser = { id, nickname };
        (this.roster.has(id) ? frame.joined : frame.left).push(user);
      }
    }
    this.pacing.sent(now, this.changed.size, frame.overflow);
    this.changed.clear();
    this.connections.deliverPresence(JSON.stringify(frame), 'presence_changes');
  }
}
