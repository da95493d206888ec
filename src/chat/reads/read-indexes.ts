import type { ConversationIndex, ConversationPage, ConversationSummary } from './conversation-index.js';
import type { RoomReadIndex, RoomReadState } from './room-read-index.js';

/**
 * The read state a message store keeps beside its messages, answered by the store's two
 * indexes: a store extends this with its engine's `ConversationIndex` and `RoomReadIndex`
 * (on the store's own database, so read positions commit like its messages) and serves both
 * ports exactly as those indexes do.
 */
export abstract class WithReadIndexes implements ConversationIndex, RoomReadIndex {
  protected constructor(
    private readonly conversationIndex: ConversationIndex,
    private readonly roomReadIndex: RoomReadIndex,
  ) {}

  conversationPage(query: { viewerId: number; beforeId?: number; limit: number }): Promise<ConversationPage> {
    return this.conversationIndex.conversationPage(query);
  }

  markConversationRead(mark: {
    userId: number;
    partnerId: number;
    messageId: number;
  }): Promise<ConversationSummary | null> {
    return this.conversationIndex.markConversationRead(mark);
  }

  roomReadStates(query: { userId: number; rooms: readonly string[] }): Promise<RoomReadState[]> {
    return this.roomReadIndex.roomReadStates(query);
  }

  markRoomRead(mark: { userId: number; room: string; messageId: number }): Promise<RoomReadState> {
    return this.roomReadIndex.markRoomRead(mark);
  }
}
