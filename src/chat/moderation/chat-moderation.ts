import { Inject, Injectable } from '@nestjs/common';
import { MessageChanges } from '../editing/message-changes.js';
import { MessageStore } from '../history/message.store.js';
import { MessageFlags } from './message-flags.js';
import type { AuditEntry, Flag, Mute } from './moderation.store.js';
import { ModerationStore } from './moderation.store.js';
import { RoomMutes } from './room-mutes.js';

/** The actor id recorded for what the host's administration does (it acts as no chat user). */
export const ADMIN_ACTOR_ID = 0;

/**
 * The chat's moderation for the host's administration (exported by `ChatModule`; serve it
 * behind your own admin guard, as the standalone server does under `/api/admin/chat`):
 * mutes (list, mute, lift), open flags (list, resolve), deleting any message, and the audit
 * log. Every action is audited with actor `ADMIN_ACTOR_ID`.
 */
@Injectable()
export class ChatModeration {
  constructor(
    @Inject(ModerationStore) private readonly store: ModerationStore,
    private readonly mutes: RoomMutes,
    private readonly flags: MessageFlags,
    @Inject(MessageStore) private readonly messages: MessageStore,
    private readonly changes: MessageChanges,
  ) {}

  /**
   * Deletes any message (room or private): its tombstone reaches every socket that can see
   * it, as when its author deletes it. Idempotent; false when there is no such message.
   */
  async deleteMessage(messageId: number): Promise<boolean> {
    const message = await this.messages.find(messageId);
    if (!message) return false;
    await this.changes.deleteBy(ADMIN_ACTOR_ID, message, true);
    return true;
  }

  /** Every active mute, by room then user. */
  activeMutes(): Promise<Mute[]> {
    return this.store.mutes(Date.now());
  }

  /** Mutes a user in a room for `durationMs` (absent: until lifted). */
  mute(room: string, userId: number, durationMs?: number): Promise<Mute> {
    return this.mutes.mute(ADMIN_ACTOR_ID, room, userId, durationMs);
  }

  /** Lifts a mute; whether there was an active one. */
  liftMute(room: string, userId: number): Promise<boolean> {
    return this.mutes.lift(ADMIN_ACTOR_ID, room, userId);
  }

  /** The open flags of `room`, oldest first. */
  openFlags(room: string): Promise<Flag[]> {
    return this.flags.open(room);
  }

  /** Resolves an open flag; null when there is none with that id. */
  resolveFlag(flagId: number, resolution: string): Promise<Flag | null> {
    return this.flags.resolve(ADMIN_ACTOR_ID, flagId, resolution);
  }

  /** Audit entries, newest first, with id < `beforeId` when given. */
  auditLog(query: { beforeId?: number; limit: number }): Promise<AuditEntry[]> {
    return this.store.auditLog(query);
  }
}
