import { Logger, UseFilters, UsePipes } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  OnGatewayConnection,
  OnGatewayDisconnect,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { ChatService } from './chat.service.js';
import {
  ChatMessageDto,
  EmptyDto,
  HistoryDto,
  PrivateMessageDto,
  ResumeDto,
  TypingDto,
} from './protocol/dto/message.dto.js';
import { ChatExceptionFilter } from './transport/chat-exception.filter.js';
import { ClientConnection } from './transport/client-connection.js';
import { ConnectionRegistry } from './transport/connection.registry.js';
import { principalOf } from './transport/handshake.js';
import { createWsValidationPipe } from './transport/ws-validation.pipe.js';

/**
 * `/ws`: connection hooks and one handler per client frame type. It only routes — the
 * socket to its `ClientConnection`, the validated frame to `ChatService` — and returns the
 * reply frame, which the adapter queues on the same socket.
 */
@WebSocketGateway({ path: '/ws' })
@UsePipes(createWsValidationPipe())
@UseFilters(ChatExceptionFilter)
export class ChatGateway implements OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger(ChatGateway.name);

  constructor(
    private readonly chat: ChatService,
    private readonly connections: ConnectionRegistry,
  ) {}

  handleConnection(socket: WebSocket, request: IncomingMessage): void {
    const principal = principalOf(request);
    if (!principal) {
      socket.terminate();
      return;
    }
    const client = this.connections.register(socket, principal);
    this.chat
      .connect(client)
      .catch((error: Error) => this.logger.warn(`connect of user ${principal.id} failed: ${error.message}`));
  }

  handleDisconnect(socket: WebSocket): void {
    const client = this.connections.release(socket);
    if (client)
      this.chat.disconnect(client).catch((error: Error) => this.logger.warn(`disconnect failed: ${error.message}`));
  }

  @SubscribeMessage('join')
  join(@ConnectedSocket() socket: WebSocket, @MessageBody() _: EmptyDto) {
    return this.chat.join(this.client(socket));
  }

  @SubscribeMessage('leave')
  leave(@ConnectedSocket() socket: WebSocket, @MessageBody() _: EmptyDto) {
    return this.chat.leave(this.client(socket));
  }

  @SubscribeMessage('chat_message')
  chatMessage(@ConnectedSocket() socket: WebSocket, @MessageBody() dto: ChatMessageDto) {
    return this.chat.sendPublic(this.client(socket), dto);
  }

  @SubscribeMessage('private_message')
  privateMessage(@ConnectedSocket() socket: WebSocket, @MessageBody() dto: PrivateMessageDto) {
    return this.chat.sendPrivate(this.client(socket), dto);
  }

  @SubscribeMessage('typing')
  typing(@ConnectedSocket() socket: WebSocket, @MessageBody() dto: TypingDto) {
    return this.chat.typing(this.client(socket), dto);
  }

  @SubscribeMessage('history')
  history(@ConnectedSocket() socket: WebSocket, @MessageBody() dto: HistoryDto) {
    return this.chat.history(this.client(socket), dto);
  }

  @SubscribeMessage('conversations')
  conversations(@ConnectedSocket() socket: WebSocket, @MessageBody() _: EmptyDto) {
    return this.chat.conversations(this.client(socket));
  }

  @SubscribeMessage('resume')
  resume(@ConnectedSocket() socket: WebSocket, @MessageBody() dto: ResumeDto) {
    return this.chat.resume(this.client(socket), dto);
  }

  private client(socket: WebSocket): ClientConnection {
    return this.connections.connectionOf(socket)!;
  }
}
