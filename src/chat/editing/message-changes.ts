import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ChatParticipant } from '../chat-participant.js';
import { ChatError } from '../chat.errors.js';
import { RESOLVED_CHAT_OPTIONS, type ResolvedChatOptions } from '../chat.options.js';
import { FanoutBus } from '../fanout/fanout.bus.js';
import { audienceOf } from '../fanout/message-audience.js';
import { publishOnBus } from '../fanout/publish-on-bus.js';
import { MessageAdmission } from './message-admission.js';
import { visibleTo } from '../history/message-revision.js';
import { MessageStore, roomOf, StoredMessage } from '../history/message.store.js';
import { ChatEventPublisher } from '../hooks/chat-event.publisher.js';
import { ChatEvents } from '../hooks/chat-events.js';
import { MAX_MENTIONS } from '../mentions/mention-parser.js';
import { MentionResolver } from '../mentions/mention-resolver.js';
import { MessageScreen } from '../hooks/message-screen.js';
import { ModerationStore } from '../moderation/moderation.store.js';
import { roomOfMessage, RoomModerators } from '../moderation/room-moderators.js';
import { ChatRooms } from '../rooms/chat-rooms.js';
import { LOBBY } from '../rooms/room-id.js';
import type { DeleteMessageDto, EditMessageDto } from '../protocol/dto/message.dto.js';
import type { MessageDeletedFrame, MessageEditedFrame } from '../protocol/frames.js';
import { toDeletedFrame, toEditedFrame } from '../protocol/message-frame.js';

/** Most edits and deletions one `resume` replays (the latest ones). */
export const CHANGES_REPLAY_LIMIT = 500;
/**
 * `resume` replays the changes made from this long before the client's last message was
 * sent: covers the clock difference between the instances of a cluster (replaying a
 * change the client already has is harmless; both frames are idempotent).
 */
export const CHANGES_REPLAY_SKEW_MS = 5_000;

/**
 * Edits and deletions of stored messages. The change is stored first, then published to
 * every socket that can see the message (on every instance) and emitted once for the host;
 * `resume` replays the changes a client missed. Only the author edits, within
 * `editWindowMs`, through the same preamble as sending (`MessageAdmission`: length, post
 * right and mute in the message's room, rate limit), the same filter and the same mention
 * resolution: a user the edit mentions for the first time is told as by a new message
 * (`new_mentions` on `message_edited`, counted in their unread mentions, `chat.mention`);
 * one already mentioned is not told again. The
 * author deletes their message; a moderator of its room (the forum's `ChatRoomPolicy`)
 * deletes anyone's room message, and that deletion is audited.
 */
@Injectable()
export class MessageChanges {
  private readonly logger = new Logger(MessageChanges.name);

  constructor(
    @Inject(RESOLVED_CHAT_OPTIONS) private readonly options: ResolvedChatOptions,
    @Inject(MessageStore) private readonly store: MessageStore,
    @Inject(FanoutBus) private readonly bus: FanoutBus,
    private readonly admission: MessageAdmission,
    private readonly screen: MessageScreen,
    private readonly mentions: MentionResolver,
    private readonly events: ChatEventPublisher,
    private readonly moderators: RoomModerators,
    @Inject(ModerationStore) private readonly moderation: ModerationStore,
    private readonly rooms: ChatRooms,
  ) {}

  /** `edit_message`: the author's new content, to everyone who can see the message. */
  async edit(participant: ChatParticipant, dto: EditMessageDto): Promise<MessageEditedFrame> {
    const message = await this.visibleMessage(participant, dto.id);
    if (message.deletedAt !== undefined) throw new ChatError('not_found', `message ${dto.id} was deleted`);
    if (message.senderId !== participant.user.id)
      throw new ChatError('forbidden', 'only its author may edit a message');
    if (Date.now() - message.createdAt >= this.options.editWindowMs)
      throw new ChatError('forbidden', `a message can be edited for ${this.windowText()} after it was sent`);
    await this.admission.admit(participant, dto.content, roomOf(message));
    const content = await this.screen.filter({
      kind: 'edit',
      messageId: message.id,
      senderId: message.senderId,
      senderNickname: message.senderNickname,
      recipientId: message.recipientId,
      content: dto.content,
    });
    const mentioned = new Set(message.mentions);
    const added = await this.addedMentions(message, content, mentioned);
    const result = await this.store.edit({ id: message.id, content, editedAt: Date.now(), mentions: added });
    if (!result) throw new ChatError('not_found', `message ${dto.id} was deleted`);
    const { addedMentions, ...edited } = result;
    const newMentions = addedMentions ?? (edited.mentions ?? []).filter((userId) => !mentioned.has(userId));
    const frame = toEditedFrame(edited, newMentions);
    await this.publish(edited, JSON.stringify(frame));
    this.events.messageEdited(edited, message.content, newMentions);
    return frame;
  }

  /**
   * The users `content` mentions that the message does not mention yet, as many as keep it
   * within `MAX_MENTIONS` over all its versions (so edits cannot notify without end).
   */
  private async addedMentions(message: StoredMessage, content: string, mentioned: ReadonlySet<number>) {
    const resolved = await this.mentions.resolve({
      content,
      senderId: message.senderId,
      recipientId: message.recipientId,
      room: roomOf(message),
    });
    const room = Math.max(0, MAX_MENTIONS - mentioned.size);
    return (resolved ?? []).filter((userId) => !mentioned.has(userId)).slice(0, room);
  }

  /**
   * `delete_message`: by its author, or by a moderator of the message's room (`forbidden`
   * for anyone else); idempotent (a deleted message answers its tombstone).
   */
  async remove(participant: ChatParticipant, dto: DeleteMessageDto): Promise<MessageDeletedFrame> {
    const message = await this.visibleMessage(participant, dto.id);
    const author = message.senderId === participant.user.id;
    if (!author && message.recipientId !== null)
      throw new ChatError('forbidden', 'only its author may delete a private message');
    if (!author) await this.moderators.require(participant, roomOfMessage(message), "delete others' messages");
    return this.deleteBy(participant.user.id, message, !author);
  }

  /**
   * Deletes `message` for `actorId` (who was allowed to): stored first, then the tombstone
   * to every socket that can see it and one event for the host; a moderator's deletion is
   * audited. Idempotent: an already deleted message answers its tombstone and does nothing.
   */
  async deleteBy(actorId: number, message: StoredMessage, moderated: boolean): Promise<MessageDeletedFrame> {
    const result = await this.store.remove({ id: message.id, deletedAt: Date.now() });
    if (!result) throw new ChatError('not_found', `no message with id ${message.id}`);
    const frame = toDeletedFrame(result.message);
    if (!result.deleted) return frame;
    const deletedAt = result.message.deletedAt!;
    if (moderated)
      await this.moderation.audit({
        actorId,
        action: 'delete',
        room: roomOf(message),
        targetUserId: message.senderId,
        messageId: message.id,
        flagId: null,
        detail: null,
        createdAt: deletedAt,
      });
    await this.publish(result.message, JSON.stringify(frame));
    this.events.emit(ChatEvents.MessageDeleted, {
      messageId: message.id,
      senderId: message.senderId,
      recipientId: message.recipientId,
      room: roomOf(message),
      deletedBy: actorId,
      deletedAt,
    });
    return frame;
  }

  /**
   * Sends `participant` the edits and deletions, made since it received message `sinceId`, of the
   * messages up to `sinceId` it can see (newer messages are replayed as they are now).
   */
  async replay(participant: ChatParticipant, sinceId: number): Promise<void> {
    if (sinceId === 0) return;
    const last = await this.store.find(sinceId);
    if (!last) return;
    const changed = await this.store.changedSince({
      viewerId: participant.user.id,
      untilId: sinceId,
      changedFrom: last.createdAt - CHANGES_REPLAY_SKEW_MS,
      limit: CHANGES_REPLAY_LIMIT,
      rooms: [LOBBY, ...participant.rooms],
    });
    for (const message of changed)
      participant.send(message.deletedAt !== undefined ? toDeletedFrame(message) : toEditedFrame(message));
  }

  /** The message if `participant` can see it (a room's only while they may read it); `not_found` otherwise, exactly as for a missing one. */
  private async visibleMessage(participant: ChatParticipant, id: number): Promise<StoredMessage> {
    const message = await this.store.find(id);
    if (
      !message ||
      !visibleTo(message, participant.user.id) ||
      !(await this.rooms.canSee(participant.user.id, message))
    )
      throw new ChatError('not_found', `no message with id ${id}`);
    return message;
  }

  /** Publishes a change; a refusing bus loses nothing: the change stays stored and `resume` replays it. */
  private async publish(message: StoredMessage, frame: string): Promise<void> {
    await publishOnBus(this.bus, audienceOf(message, frame), `change of message ${message.id} (stored)`, this.logger);
  }

  private windowText(): string {
    const ms = this.options.editWindowMs;
    return ms % 60_000 === 0 ? `${ms / 60_000} minutes` : `${ms / 1000} seconds`;
  }
}
