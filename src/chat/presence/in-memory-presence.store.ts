import type { PublicUser } from '../protocol/frames.js';
import { PresenceStore } from './presence.store.js';

/**
 * `PresenceStore` of a single node (or of nodes sharing one process): a user is online
 * while their count of present nodes is above zero. Nothing can vanish without a
 * `remove`, so `onVanished` and `onRestored` listeners are never called.
 */
export class InMemoryPresenceStore implements PresenceStore {
  private readonly users = new Map<number, { user: PublicUser; nodes: number }>();

  async add(user: PublicUser): Promise<boolean> {
    const entry = this.users.get(user.id);
    if (entry) {
      entry.nodes += 1;
      return false;
    }
    this.users.set(user.id, { user: { id: user.id, nickname: user.nickname }, nodes: 1 });
    return true;
  }

  async remove(userId: number): Promise<boolean> {
    const entry = this.users.get(userId);
    if (!entry) return false;
    entry.nodes -= 1;
    if (entry.nodes > 0) return false;
    this.users.delete(userId);
    return true;
  }

  async online(): Promise<PublicUser[]> {
    return [...this.users.values()].map((entry) => entry.user).sort((a, b) => a.id - b.id);
  }

  async onlineAmong(userIds: number[]): Promise<Set<number>> {
    return new Set(userIds.filter((id) => this.users.has(id)));
  }

  onVanished(): void {}

  onRestored(): void {}

  async close(): Promise<void> {}
}
