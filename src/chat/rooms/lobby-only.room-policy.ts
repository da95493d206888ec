import type { ChatRoomAccess, ChatRoomPolicy } from './chat-room.policy.js';
import { LOBBY } from './room-id.js';

const LOBBY_ACCESS: ChatRoomAccess = { room: { id: LOBBY, title: 'Lobby' }, post: true, moderate: false };

/**
 * The policy of a chat whose host supplies none: only `lobby` exists, everyone reads and
 * posts there, nobody moderates. This is the seed chat's one public room.
 */
export class LobbyOnlyRoomPolicy implements ChatRoomPolicy {
  async access(_userId: number, roomId: string): Promise<ChatRoomAccess | null> {
    return roomId === LOBBY ? LOBBY_ACCESS : null;
  }

  async roomsFor(): Promise<ChatRoomAccess[]> {
    return [LOBBY_ACCESS];
  }
}
