import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { ChatParticipant } from '../chat-participant.js';
import { ChatError } from '../chat.errors.js';
import { FanoutBus } from '../fanout/fanout.bus.js';
import { publishOnBus } from '../fanout/publish-on-bus.js';
import type { StoredMessage } from '../history/message.store.js';
import { ChatRateLimits } from '../limits/chat-rate-limits.js';
import { RoomMutes } from '../moderation/room-mutes.js';
import type { JoinedFrame, LeftFrame, TypingFrame } from '../protocol/frames.js';
import type { ClientConnection } from '../transport/client-connection.js';
import { ConnectionRegistry } from '../transport/connection.registry.js';
import { ChatRoomAccess, ChatRoomPolicy } from './chat-room.policy.js';
import { isRoomId, LOBBY } from './room-id.js';

/** Most rooms one socket follows at once (a `join` beyond it is refused with `invalid_message`). */
export const MAX_FOLLOWED_ROOMS = 200;

/**
 * Rooms as live channels: a socket follows a room with `join {room}` (after the forum's
 * `ChatRoomPolicy` said it may read it) and from then on gets that room's messages and
 * typing, and nothing of the rooms it does not follow. Guarantees:
 * - a room the user may not read answers `not_found` exactly as a room that does not exist;
 *   posting or typing without the post right answers `forbidden`;
 * - `accessChanged(...roomIds)` (the host calls it after changing who may read those rooms)
 *   reaches every instance through the fan-out bus; each re-asks the policy for every socket
 *   following one of those rooms and unfollows those that may no longer read it, sending them
 *   `left {room, reason: 'access'}` — once the bus delivered it, no message of the room
 *   reaches such a socket any more.
 * Lobby is never followed: its messages go to every socket, as in the seed protocol.
 */
@Injectable()
export class ChatRooms implements OnModuleInit {
  private readonly logger = new Logger(ChatRooms.name);

  constructor(
    @Inject(ChatRoomPolicy) private readonly policy: ChatRoomPolicy,
    @Inject(FanoutBus) private readonly bus: FanoutBus,
    private readonly connections: ConnectionRegistry,
    private readonly limits: ChatRateLimits,
    private readonly mutes: RoomMutes,
  ) {}

  onModuleInit(): void {
    this.connections.onRoomAccess((rooms) => {
      this.recheck(rooms).catch((error: Error) => this.logger.warn(`room access re-check failed: ${error.message}`));
    });
  }

  /**
   * Tells every instance that the forum changed who may read (or post in) these rooms: sockets
   * following them that may no longer read are unfollowed within the bus's delivery time.
   * Resolves once the change is on the bus; rejects when the bus refused it.
   */
  async accessChanged(...roomIds: string[]): Promise<void> {
    const rooms = [...new Set(roomIds)].filter((room) => isRoomId(room) && room !== LOBBY);
    if (rooms.length === 0) return;
    await this.bus.publish({ kind: 'room_access', rooms });
  }

  /**
   * `join {room}` (not lobby): follows the room and sends `joined`, then `muted` when the user
   * is muted there; `not_found` when the user may not read it.
   */
  async join(connection: ClientConnection, room: string): Promise<void> {
    await this.limits.charge('presence', connection.user.id);
    const access = await this.readable(connection, room);
    if (!connection.rooms.has(room) && connection.rooms.size >= MAX_FOLLOWED_ROOMS)
      throw new ChatError('invalid_message', `a socket follows at most ${MAX_FOLLOWED_ROOMS} rooms; leave one first`);
    await this.connections.follow(connection, room);
    const joined: JoinedFrame = {
      type: 'joined',
      room,
      title: access.room.title,
      post: access.post,
      moderate: access.moderate,
    };
    connection.send(joined);
    await this.mutes.announceTo(connection, room);
  }

  /** `leave {room}` (not lobby): stops following it; idempotent, and the same answer for any room. */
  async leave(connection: ClientConnection, room: string): Promise<LeftFrame> {
    await this.limits.charge('presence', connection.user.id);
    this.connections.unfollow(connection, room);
    return { type: 'left', room };
  }

  /** The participant's rights in `room`; `not_found` when they may not read it (or it does not exist). */
  async readable(participant: ChatParticipant, room: string): Promise<ChatRoomAccess> {
    const access = await this.policy.access(participant.user.id, room);
    if (!access) throw new ChatError('not_found', `no room ${room}`);
    return access;
  }

  /** The participant's rights in `room` when they may post there; else `not_found` or `forbidden`. */
  async postable(participant: ChatParticipant, room: string): Promise<ChatRoomAccess> {
    const access = await this.readable(participant, room);
    if (!access.post) throw new ChatError('forbidden', `you may not post in room ${room}`);
    return access;
  }

  /** `typing {room}`: relayed to the room's followers; needs the post right; lobby is refused. */
  async typing(participant: ChatParticipant, room: string, active: boolean): Promise<void> {
    if (room === LOBBY) throw new ChatError('invalid_message', 'typing is relayed in rooms other than lobby');
    await this.postable(participant, room);
    await this.limits.charge('typing', participant.user.id);
    const frame: TypingFrame = {
      type: 'typing',
      room,
      user_id: participant.user.id,
      nickname: participant.user.nickname,
      active,
    };
    await publishOnBus(this.bus, { kind: 'room', room, frame: JSON.stringify(frame) }, 'typing', this.logger);
  }

  /** Whether `userId` may see a room message: any lobby message, another room's while they may read it. */
  async canSee(userId: number, message: StoredMessage): Promise<boolean> {
    const room = message.room ?? LOBBY;
    if (message.recipientId !== null || room === LOBBY) return true;
    return (await this.policy.access(userId, room)) !== null;
  }

  /**
   * Re-asks the policy whether `userId` may still read `room`; if not, every socket of theirs
   * on this node that follows it is unfollowed and told `left {room, reason: 'access'}`.
   * Resolves how many sockets it unfollowed.
   */
  async revokeUnreadable(room: string, userId: number): Promise<number> {
    if ((await this.policy.access(userId, room)) !== null) return 0;
    let unfollowed = 0;
    for (const connection of [...this.connections.connectionsOf(userId)]) {
      if (!this.connections.unfollow(connection, room)) continue;
      connection.send({ type: 'left', room, reason: 'access' });
      unfollowed++;
    }
    return unfollowed;
  }

  /** Re-asks the policy for every local follower of `rooms`; unfollows those that may no longer read. */
  private async recheck(rooms: string[]): Promise<void> {
    const checks: Array<Promise<number>> = [];
    for (const room of rooms) {
      const users = new Set<number>();
      for (const connection of this.connections.followersOf(room)) users.add(connection.user.id);
      for (const userId of users) checks.push(this.revokeUnreadable(room, userId));
    }
    await Promise.all(checks);
  }
}
