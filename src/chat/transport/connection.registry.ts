import { Inject, Injectable, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { userSessionKey } from '../sessions/user-session-key.js';
import { FanoutBus, FanoutEnvelope } from '../fanout/fanout.bus.js';
import { ChatMetrics } from '../metrics/chat-metrics.js';
import { serializedFrameType } from '../protocol/frame-types.js';
import { CloseCode } from '../protocol/close-codes.js';
import type { ClientConnection } from './client-connection.js';
import { BlockedAuthorFlag } from './blocked-author.flag.js';
import { encodeTextFrameOf } from './text-frame.js';

/** Called with the local followers of rooms whose access changed (`room_access`), once per envelope. */
export type RoomAccessHandler = (rooms: string[]) => void;

/**
 * This node's open connections, indexed by user, by session and by followed room, and the node's end of the
 * fan-out bus: every envelope the bus hands back is delivered here (`deliver`) to the
 * local connections it addresses, framed once and queued as the same bytes on each of them.
 * Creating connections is `ConnectionFactory`'s job, closing them all at shutdown
 * `ChatLifecycle`'s.
 */
@Injectable()
export class ConnectionRegistry implements OnModuleInit, OnModuleDestroy {
  private readonly all = new Set<ClientConnection>();
  /** `all` split by presence protocol: those that negotiated `presence_changes`, and the seed-protocol ones. */
  private readonly byPresence = { presence_changes: new Set<ClientConnection>(), seed: new Set<ClientConnection>() };
  private readonly byUser = new Map<number, Set<ClientConnection>>();
  private readonly bySession = new Map<string, Set<ClientConnection>>();
  /** Room → the connections that follow it (never lobby: lobby messages go to everyone). */
  private readonly byRoom = new Map<string, Set<ClientConnection>>();
  private roomAccessHandler: RoomAccessHandler = () => {};
  private unsubscribe: (() => void) | null = null;

  constructor(
    @Inject(FanoutBus) private readonly bus: FanoutBus,
    @Optional() private readonly metrics: ChatMetrics = new ChatMetrics(),
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.bus.subscribe((envelope) => this.deliver(envelope));
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /** Indexes an accepted connection: from now on deliveries reach it. */
  add(connection: ClientConnection): void {
    this.all.add(connection);
    this.byPresence[presenceProtocolOf(connection)].add(connection);
    addTo(this.byUser, connection.principal.id, connection);
    addTo(this.bySession, userSessionKey(connection.principal.id), connection);
    if (connection.principal.sessionKey !== null) addTo(this.bySession, connection.principal.sessionKey, connection);
  }

  /** Forgets a closed connection; true the first time, false after. */
  remove(connection: ClientConnection): boolean {
    if (!this.all.delete(connection)) return false;
    this.byPresence[presenceProtocolOf(connection)].delete(connection);
    removeFrom(this.byUser, connection.principal.id, connection);
    removeFrom(this.bySession, userSessionKey(connection.principal.id), connection);
    if (connection.principal.sessionKey !== null)
      removeFrom(this.bySession, connection.principal.sessionKey, connection);
    for (const room of connection.rooms) this.dropFollower(room, connection);
    connection.rooms.clear();
    return true;
  }

  /**
   * From now on `room`'s messages reach `connection` (a connection that is still
   * registered): resolves once the bus delivers the room to this node (`watchRoom`; at
   * once on a bus that delivers every room everywhere).
   */
  follow(connection: ClientConnection, room: string): Promise<void> {
    if (!this.all.has(connection)) return Promise.resolve();
    connection.rooms.add(room);
    addTo(this.byRoom, room, connection);
    return this.bus.watchRoom?.(room) ?? Promise.resolve();
  }

  /** `room`'s messages no longer reach `connection`; false when it did not follow it. */
  unfollow(connection: ClientConnection, room: string): boolean {
    if (!connection.rooms.delete(room)) return false;
    this.dropFollower(room, connection);
    return true;
  }

  /** Removes one follower of `room`; the bus stops delivering the room here after the last. */
  private dropFollower(room: string, connection: ClientConnection): void {
    removeFrom(this.byRoom, room, connection);
    if (!this.byRoom.has(room)) this.bus.unwatchRoom?.(room);
  }

  /** The connections of this node that follow `room`. */
  followersOf(room: string): Iterable<ClientConnection> {
    return this.byRoom.get(room) ?? [];
  }

  /** Every room some connection of this node follows. */
  followedRooms(): Iterable<string> {
    return this.byRoom.keys();
  }

  /** Who re-checks the followers of rooms named by a `room_access` envelope (`ChatRooms`). */
  onRoomAccess(handler: RoomAccessHandler): void {
    this.roomAccessHandler = handler;
  }

  /** The open connections of `userId` on this node. */
  connectionsOf(userId: number): Iterable<ClientConnection> {
    return this.byUser.get(userId) ?? [];
  }

  /** Every open connection of this node. */
  connections(): Iterable<ClientConnection> {
    return this.all;
  }

  get size(): number {
    return this.all.size;
  }

  /** Delivers one envelope to the local connections it addresses. */
  deliver(envelope: FanoutEnvelope): void {
    switch (envelope.kind) {
      case 'everyone': {
        if (this.all.size === 0 || isPresenceChange(envelope.frame)) return; // see deliverPresence
        const frame = encodeTextFrameOf(envelope.frame);
        const flagged = new BlockedAuthorFlag(envelope.frame);
        let queued = 0;
        for (const connection of this.all)
          if (connection.sendFrame(flagged.for(connection.blockedUserIds) ?? frame)) queued++;
        this.metrics.delivered(envelope, queued);
        return;
      }
      case 'room': {
        this.metrics.delivered(envelope, this.deliverToRoom(envelope.room, envelope.frame));
        return;
      }
      case 'room_access':
        this.metrics.delivered(envelope, 0);
        this.roomAccessHandler(envelope.rooms);
        return;
      case 'users': {
        let frame: Buffer | undefined;
        let queued = 0;
        for (const userId of envelope.userIds) {
          const sockets = this.byUser.get(userId);
          if (!sockets) continue;
          frame ??= encodeTextFrameOf(envelope.frame);
          for (const connection of sockets) if (connection.sendFrame(frame)) queued++;
        }
        this.metrics.delivered(envelope, queued);
        return;
      }
      case 'end_sessions':
        this.metrics.delivered(envelope, 0);
        this.endSessions(envelope.sessionKeys);
        return;
    }
  }

  /** Queues one room frame on the followers of `room` only (encoded once; flagged for those blocking its author). */
  private deliverToRoom(room: string, serialized: string): number {
    const followers = this.byRoom.get(room);
    if (!followers) return 0;
    const frame = encodeTextFrameOf(serialized);
    const flagged = new BlockedAuthorFlag(serialized);
    let queued = 0;
    for (const connection of followers)
      if (connection.sendFrame(flagged.for(connection.blockedUserIds) ?? frame)) queued++;
    return queued;
  }

  /**
   * Queues one presence frame on every open connection that negotiated `presence_changes`, or on
   * every one that did not (`seed`); the connections of the other kind are not looked at.
   * Presence changes from the bus reach sockets only this way (`SeedPresenceRelay`,
   * `PresenceChangesTicker`), never as `everyone` envelopes.
   */
  deliverPresence(frame: string, to: 'presence_changes' | 'seed'): void {
    let bytes: Buffer | undefined;
    let queued = 0;
    for (const connection of this.byPresence[to]) {
      bytes ??= encodeTextFrameOf(frame);
      if (connection.sendFrame(bytes)) queued++;
    }
    if (bytes) this.metrics.delivered({ kind: 'everyone', frame }, queued);
  }

  /** Closes every local socket opened with one of `sessionKeys` with 4401; resolves how many it closed. */
  endSessions(sessionKeys: Iterable<string>): number {
    let closed = 0;
    for (const key of sessionKeys) {
      for (const connection of this.bySession.get(key) ?? []) {
        if (!connection.isClosing) closed++;
        connection.close(CloseCode.SESSION_ENDED, 'session ended');
      }
    }
    return closed;
  }
}

/** Which presence frames a connection gets (`deliverPresence`): those it negotiated, else the seed protocol's. */
function presenceProtocolOf(connection: ClientConnection): 'presence_changes' | 'seed' {
  return connection.capabilities.has('presence_changes') ? 'presence_changes' : 'seed';
}

/** Whether a serialized frame is a `user_joined`/`user_left`. */
function isPresenceChange(frame: string): boolean {
  const type = serializedFrameType(frame);
  return type === 'user_joined' || type === 'user_left';
}

function addTo<K>(index: Map<K, Set<ClientConnection>>, key: K, connection: ClientConnection): void {
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(connection);
}

function removeFrom<K>(index: Map<K, Set<ClientConnection>>, key: K, connection: ClientConnection): void {
  const set = index.get(key);
  if (!set) return;
  set.delete(connection);
  if (set.size === 0) index.delete(key);
}
