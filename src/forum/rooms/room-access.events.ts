/** Called with the ids of rooms whose access just changed (created, updated, deleted). */
export type RoomAccessListener = (roomIds: string[]) => void;

/**
 * In-process notifications of changed room access, so that whatever holds sockets following
 * those rooms (the chat) re-checks them. Listeners run synchronously in registration order;
 * a throwing listener does not stop the others.
 */
export class RoomAccessEvents {
  private readonly listeners: RoomAccessListener[] = [];

  onAccessChanged(listener: RoomAccessListener): void {
    this.listeners.push(listener);
  }

  emit(roomIds: string[]): void {
    if (roomIds.length === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(roomIds);
      } catch {
        // one broken listener must not keep the others from hearing about it
      }
    }
  }
}
