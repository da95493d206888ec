import { Inject, Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { RESOLVED_CHAT_OPTIONS, type ResolvedChatOptions } from '../chat.options.js';
import type { PresenceFrame, PublicUser } from '../protocol/frames.js';
import { ConnectionRegistry } from '../transport/connection.registry.js';
import { OnlineRoster, type RosterChange } from './online-roster.js';
import { PRESENCE_FRAMES_PER_SECOND } from './presence-limits.js';

/**
 * Coalesced presence for sockets that negotiated `presence_changes`: the users whose state
 * changed during one tick (`presenceTickMs`) go out as one `presence` frame, serialized once
 * and queued as the same bytes on each of those sockets. Each changed user is listed once,
 * with their state at the end of the tick, so a client that applies every frame to what it
 * knows holds the roster as it was at that tick's end (a join and a leave within one tick list
 * the user under `left`). A tick with more than `presenceChangesPerFrame` changed users sends
 * only the exact count (`overflow`). No change, no frame.
 *
 * What a storm costs stays bounded whatever its size: a frame that listed k users (an
 * overflow counts as `presenceChangesPerFrame`) is followed by a pause of at least
 * k ÷ `presenceChangesPerFrame` seconds, so a socket receives at most about
 * `presenceChangesPerFrame` listed users per second; and on a node holding more sockets
 * than `PRESENCE_FRAMES_PER_SECOND` × tick, the tick lengthens to sockets ÷ that rate, so
 * the presence frames a node writes per second stay bounded however many sockets it holds.
 */
@Injectable()
export class PresenceChangesTicker implements OnModuleInit, OnModuleDestroy {
  private readonly changed = new Map<number, string>();
  private timer: NodeJS.Timeout | null = null;
  /** Epoch ms before which the next frame may not go (the pause after a frame that listed many users). */
  private pauseUntil = 0;

  constructor(
    @Inject(RESOLVED_CHAT_OPTIONS) private readonly options: ResolvedChatOptions,
    private readonly roster: OnlineRoster,
    private readonly connections: ConnectionRegistry,
  ) {}

  onModuleInit(): void {
    this.roster.onChange((change) => this.record(change));
  }

  onModuleDestroy(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private record(change: RosterChange): void {
    this.changed.set(change.user.id, change.user.nickname);
    this.timer ??= setTimeout(() => this.flush(), this.tickMs()).unref();
  }

  /** The configured tick, or longer on a node with many sockets or after a frame that listed many users (see above). */
  private tickMs(): number {
    return Math.max(
      this.options.presenceTickMs,
      Math.ceil((1000 * this.connections.size) / PRESENCE_FRAMES_PER_SECOND),
      this.pauseUntil - Date.now(),
    );
  }

  /** Sends the tick's frame to every `presence_changes` socket. */
  flush(): void {
    this.timer = null;
    if (this.changed.size === 0) return;
    const frame: PresenceFrame = { type: 'presence', count: this.roster.count, joined: [], left: [], overflow: false };
    if (this.changed.size > this.options.presenceChangesPerFrame) frame.overflow = true;
    else {
      for (const [id, nickname] of [...this.changed].sort((a, b) => a[0] - b[0])) {
        const user: PublicUser = { id, nickname };
        (this.roster.has(id) ? frame.joined : frame.left).push(user);
      }
    }
    const listed = frame.overflow ? this.options.presenceChangesPerFrame : this.changed.size;
    this.pauseUntil = Date.now() + Math.round((1000 * listed) / this.options.presenceChangesPerFrame);
    this.changed.clear();
    this.connections.deliverPresence(JSON.stringify(frame), 'presence_changes');
  }
}
