import type { AuditEntry, Flag, ModerationStore, Mute } from '../chat/moderation/moderation.store.js';

const active = (mute: Mute, now: number) => mute.until === null || mute.until > now;

/**
 * `ModerationStore` in the memory of one process, for tests: every guarantee of the port
 * except durability. Several app instances in one process may share one instance.
 */
export class InMemoryModerationStore implements ModerationStore {
  private readonly blockLists = new Map<number, Set<number>>();
  private readonly muteList = new Map<string, Mute>();
  private readonly flags: Flag[] = [];
  private readonly entries: AuditEntry[] = [];

  async block(userId: number, blockedId: number): Promise<void> {
    let blocked = this.blockLists.get(userId);
    if (!blocked) this.blockLists.set(userId, (blocked = new Set()));
    blocked.add(blockedId);
  }

  async unblock(userId: number, blockedId: number): Promise<void> {
    this.blockLists.get(userId)?.delete(blockedId);
  }

  async blockedBy(userId: number): Promise<number[]> {
    return [...(this.blockLists.get(userId) ?? [])].sort((a, b) => a - b);
  }

  async blocks(userId: number, otherId: number): Promise<boolean> {
    return this.blockLists.get(userId)?.has(otherId) ?? false;
  }

  async mute(mute: Mute): Promise<void> {
    this.muteList.set(`${mute.room}\n${mute.userId}`, { ...mute });
  }

  async unmute(room: string, userId: number, now: number): Promise<boolean> {
    const key = `${room}\n${userId}`;
    const mute = this.muteList.get(key);
    if (mute === undefined || !active(mute, now)) return false;
    this.muteList.delete(key);
    return true;
  }

  async muteOf(room: string, userId: number, now: number): Promise<Mute | null> {
    const mute = this.muteList.get(`${room}\n${userId}`);
    return mute && active(mute, now) ? { ...mute } : null;
  }

  async mutes(now: number): Promise<Mute[]> {
    return [...this.muteList.values()]
      .filter((mute) => active(mute, now))
      .sort((a, b) => (a.room < b.room ? -1 : a.room > b.room ? 1 : a.userId - b.userId))
      .map((mute) => ({ ...mute }));
  }

  async endExpiredMutes(now: number, limit: number): Promise<Mute[]> {
    const ended = [...this.muteList.values()]
      .filter((mute) => !active(mute, now))
      .sort((a, b) => a.until! - b.until!)
      .slice(0, limit);
    for (const mute of ended) this.muteList.delete(`${mute.room}\n${mute.userId}`);
    return ended;
  }

  async nextMuteEnd(now: number): Promise<number | null> {
    const ends = [...this.muteList.values()].map((mute) => mute.until).filter((until) => until !== null && until > now);
    return ends.length === 0 ? null : Math.min(...(ends as number[]));
  }

  async flag(flag: Omit<Flag, 'id' | 'resolvedBy' | 'resolvedAt' | 'resolution'>) {
    const existing = this.flags.find((f) => f.messageId === flag.messageId && f.flaggerId === flag.flaggerId);
    if (existing) return { flag: { ...existing }, created: false };
    const stored: Flag = { ...flag, id: this.flags.length + 1, resolvedBy: null, resolvedAt: null, resolution: null };
    this.flags.push(stored);
    return { flag: { ...stored }, created: true };
  }

  async openFlags(room: string): Promise<Flag[]> {
    return this.flags.filter((f) => f.room === room && f.resolvedAt === null).map((f) => ({ ...f }));
  }

  async findFlag(id: number): Promise<Flag | null> {
    const flag = this.flags[id - 1];
    return flag ? { ...flag } : null;
  }

  async resolveFlag(id: number, resolution: { by: number; at: number; resolution: string }): Promise<Flag | null> {
    const flag = this.flags[id - 1];
    if (!flag || flag.resolvedAt !== null) return null;
    Object.assign(flag, { resolvedBy: resolution.by, resolvedAt: resolution.at, resolution: resolution.resolution });
    return { ...flag };
  }

  async audit(entry: Omit<AuditEntry, 'id'>): Promise<AuditEntry> {
    const stored = { ...entry, id: this.entries.length + 1 };
    this.entries.push(stored);
    return { ...stored };
  }

  async auditLog(query: { beforeId?: number; limit: number }): Promise<AuditEntry[]> {
    const before = query.beforeId ?? Number.MAX_SAFE_INTEGER;
    return this.entries
      .filter((entry) => entry.id < before)
      .reverse()
      .slice(0, query.limit)
      .map((entry) => ({ ...entry }));
  }

  async close(): Promise<void> {}
}
