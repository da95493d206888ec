import { Logger, UseFilters, UsePipes } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayConnection,
  OnGatewayDisconnect,
  OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import { ChatService } from './chat.service.js';
import { ConversationList } from './conversations/conversation-list.js';
import { UserSearch } from './conversations/user-search.js';
import { ReadMarks } from './reads/read-marks.js';
import { RoomList } from './reads/room-list.js';
import { ConversationsDto, MarkReadDto, SearchUsersDto } from './protocol/dto/read-state.dto.js';
import { MessageChanges } from './editing/message-changes.js';
import { MessageFlags } from './moderation/message-flags.js';
import { RoomModeration } from './moderation/room-moderation.js';
import { UserBlocks } from './moderation/user-blocks.js';
import {
  BlockDto,
  ChatMessageDto,
  FlagDto,
  DeleteMessageDto,
  EditMessageDto,
  EmptyDto,
  HistoryDto,
  OnlinePageDto,
  PrivateMessageDto,
  ResumeDto,
  RoomDto,
  TypingDto,
} from './protocol/dto/message.dto.js';
import { MuteDto, OpenFlagsDto, ResolveFlagDto, UnmuteDto } from './protocol/dto/moderation.dto.js';
import { ChatRooms } from './rooms/chat-rooms.js';
import { LOBBY } from './rooms/room-id.js';
import { ChatExceptionFilter } from './transport/chat-exception.filter.js';
import { CHAT_GATEWAY_KEY, isChatServer } from './transport/chat-ws.adapter.js';
import type { ClientConnection } from './transport/client-connection.js';
import { ConnectionRegistry } from './transport/connection.registry.js';
import { createWsValidationPipe } from './transport/ws-validation.pipe.js';

/**
 * The chat's path (`/ws` unless the `path` option says otherwise; `ChatWsAdapter` serves it
 * there): connection hooks and one handler per client frame type. It only routes: every
 * hook and handler receives the socket's `ClientConnection` (`ChatWsAdapter` makes it at
 * the upgrade), a new connection goes into the `ConnectionRegistry`, the validated frame
 * to `ChatService`, and the reply frame it returns is queued by the adapter on the same
 * connection.
 */
@WebSocketGateway({ path: CHAT_GATEWAY_KEY })
@UsePipes(createWsValidationPipe())
@UseFilters(ChatExceptionFilter)
export class ChatGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger(ChatGateway.name);

  constructor(
    private readonly chat: ChatService,
    private readonly connections: ConnectionRegistry,
    private readonly changes: MessageChanges,
    private readonly blocks: UserBlocks,
    private readonly flags: MessageFlags,
    private readonly conversationList: ConversationList,
    private readonly userSearch: UserSearch,
    private readonly readMarks: ReadMarks,
    private readonly moderation: RoomModeration,
    private readonly rooms: ChatRooms,
    private readonly roomList: RoomList,
  ) {}

  /** Says so at start when the app serves the chat with another adapter (every socket would be refused). */
  afterInit(server: unknown): void {
    if (isChatServer(server)) return;
    this.logger.error(
      'the chat is not served by ChatWsAdapter: install it with app.useWebSocketAdapter(new ChatWsAdapter(app)) before listen',
    );
  }

  handleConnection(connection: ClientConnection): void {
    this.connections.add(connection);
    this.chat
      .connect(connection)
      .catch((error: Error) => this.logger.warn(`connect of user ${connection.user.id} failed: ${error.message}`));
  }

  handleDisconnect(connection: ClientConnection): void {
    if (this.connections.remove(connection))
      this.chat.disconnect(connection).catch((error: Error) => this.logger.warn(`disconnect failed: ${error.message}`));
  }

  /** Without a room (or with lobby): presence, as in the seed protocol; with another room: follow it. */
  @SubscribeMessage('join')
  join(@ConnectedSocket() connection: ClientConnection, @MessageBody() dto: RoomDto) {
    if (dto.room == null || dto.room === LOBBY) return this.chat.join(connection);
    return this.rooms.join(connection, dto.room);
  }

  /** Without a room (or with lobby): presence, as in the seed protocol; with another room: unfollow it. */
  @SubscribeMessage('leave')
  leave(@ConnectedSocket() connection: ClientConnection, @MessageBody() dto: RoomDto) {
    if (dto.room == null || dto.room === LOBBY) return this.chat.leave(connection);
    return this.rooms.leave(connection, dto.room);
  }

  @SubscribeMessage('chat_message')
  chatMessage(@ConnectedSocket() connection: ClientConnection, @MessageBody() dto: ChatMessageDto) {
    return this.chat.sendPublic(connection, dto);
  }

  @SubscribeMessage('private_message')
  privateMessage(@ConnectedSocket() connection: ClientConnection, @MessageBody() dto: PrivateMessageDto) {
    return this.chat.sendPrivate(connection, dto);
  }

  @SubscribeMessage('typing')
  typing(@ConnectedSocket() connection: ClientConnection, @MessageBody() dto: TypingDto) {
    return this.chat.typing(connection, dto);
  }

  @SubscribeMessage('history')
  history(@ConnectedSocket() connection: ClientConnection, @MessageBody() dto: HistoryDto) {
    return this.chat.history(connection, dto);
  }

  @SubscribeMessage('conversations')
  conversations(@ConnectedSocket() connection: ClientConnection, @MessageBody() dto: ConversationsDto) {
    return this.conversationList.page(connection, dto);
  }

  @SubscribeMessage('search_users')
  searchUsers(@ConnectedSocket() connection: ClientConnection, @MessageBody() dto: SearchUsersDto) {
    return this.userSearch.search(connection, dto);
  }

  @SubscribeMessage('mark_read')
  markRead(@ConnectedSocket() connection: ClientConnection, @MessageBody() dto: MarkReadDto) {
    return this.readMarks.markRead(connection, dto);
  }

  @SubscribeMessage('rooms')
  listRooms(@ConnectedSocket() connection: ClientConnection, @MessageBody() _: EmptyDto) {
    return this.roomList.list(connection);
  }

  @SubscribeMessage('online_page')
  onlinePage(@ConnectedSocket() connection: ClientConnection, @MessageBody() dto: OnlinePageDto) {
    return this.chat.onlinePage(connection, dto);
  }

  @SubscribeMessage('resume')
  resume(@ConnectedSocket() connection: ClientConnection, @MessageBody() dto: ResumeDto) {
    return this.chat.resume(connection, dto);
  }

  @SubscribeMessage('edit_message')
  editMessage(@ConnectedSocket() connection: ClientConnection, @MessageBody() dto: EditMessageDto) {
    return this.changes.edit(connection, dto);
  }

  @SubscribeMessage('delete_message')
  deleteMessage(@ConnectedSocket() connection: ClientConnection, @MessageBody() dto: DeleteMessageDto) {
    return this.changes.remove(connection, dto);
  }

  @SubscribeMessage('block')
  block(@ConnectedSocket() connection: ClientConnection, @MessageBody() dto: BlockDto) {
    return this.blocks.block(connection, dto);
  }

  @SubscribeMessage('unblock')
  unblock(@ConnectedSocket() connection: ClientConnection, @MessageBody() dto: BlockDto) {
    return this.blocks.unblock(connection, dto);
  }

  @SubscribeMessage('flag')
  flag(@ConnectedSocket() connection: ClientConnection, @MessageBody() dto: FlagDto) {
    return this.flags.flag(connection, dto.id, dto.reason);
  }

  @SubscribeMessage('mute')
  mute(@ConnectedSocket() connection: ClientConnection, @MessageBody() dto: MuteDto) {
    return this.moderation.mute(connection, dto);
  }

  @SubscribeMessage('unmute')
  unmute(@ConnectedSocket() connection: ClientConnection, @MessageBody() dto: UnmuteDto) {
    return this.moderation.unmute(connection, dto);
  }

  @SubscribeMessage('open_flags')
  openFlags(@ConnectedSocket() connection: ClientConnection, @MessageBody() dto: OpenFlagsDto) {
    return this.moderation.openFlags(connection, dto);
  }

  @SubscribeMessage('resolve_flag')
  resolveFlag(@ConnectedSocket() connection: ClientConnection, @MessageBody() dto: ResolveFlagDto) {
    return this.moderation.resolveFlag(connection, dto);
  }

  @SubscribeMessage('blocks')
  blockList(@ConnectedSocket() connection: ClientConnection, @MessageBody() _: EmptyDto) {
    return this.blocks.list(connection);
  }
}
