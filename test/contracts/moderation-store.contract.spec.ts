import { describe, expect, it } from 'vitest';
import type { ModerationStore } from '../../src/chat/moderation/moderation.store.js';
import { PostgresModerationStore } from '../../src/chat/moderation/postgres-moderation.store.js';
import { SqliteModerationStore } from '../../src/chat/moderation/sqlite-moderation.store.js';
import { InMemoryModerationStore } from '../../src/testing/in-memory-moderation.store.js';
import { dropSchema, postgresUrlFor, requireClusterServices, testNamespace } from '../support/services.js';
import { openForEachTest } from '../support/contract-subjects.js';

const services = await requireClusterServices();

/** A fresh store and a second instance on the same data (the same object for an embedded engine). */
interface Subject {
  name: string;
  open(): Promise<{ store: ModerationStore; other: ModerationStore; cleanup(): Promise<void> }>;
}

const subjects: Subject[] = [
  {
    name: 'SqliteModerationStore',
    open: async () => {
      const store = SqliteModerationStore.open(':memory:');
      return { store, other: store, cleanup: () => store.close() };
    },
  },
  {
    name: 'InMemoryModerationStore',
    open: async () => {
      const store = new InMemoryModerationStore();
      return { store, other: store, cleanup: () => store.close() };
    },
  },
];
if (services.available) {
  subjects.push({
    name: 'PostgresModerationStore',
    open: async () => {
      const schema = testNamespace();
      const [store, other] = await Promise.all([
        PostgresModerationStore.open(postgresUrlFor(schema)),
        PostgresModerationStore.open(postgresUrlFor(schema)),
      ]);
      return {
        store,
        other,
        cleanup: async () => {
          await Promise.all([store.close(), other.close()]);
          await dropSchema(schema);
        },
      };
    },
  });
}

const NOW = 1_700_000_000_000;

describe.each(subjects)('ModerationStore contract: $name', (subject) => {
  let store: ModerationStore;
  let other: ModerationStore;
  openForEachTest(subject.open, (opened) => ({ store, other } = opened));

  it('stores blocks per user, idempotently, seen by every instance', async () => {
    await store.block(1, 3, NOW);
    await store.block(1, 2, NOW);
    await other.block(1, 2, NOW + 1);
    await store.block(2, 1, NOW);
    expect(await other.blockedBy(1)).toEqual([2, 3]);
    expect(await other.blocks(1, 2)).toBe(true);
    expect(await other.blocks(2, 3)).toBe(false);
    await other.unblock(1, 2);
    await other.unblock(1, 2);
    expect(await store.blockedBy(1)).toEqual([3]);
    expect(await store.blocks(1, 2)).toBe(false);
    expect(await store.blockedBy(9)).toEqual([]);
  });

  it('keeps one mute per room and user; an expired or lifted mute is gone', async () => {
    await store.mute({ room: 'lobby', userId: 2, until: NOW + 1000, mutedBy: 1, createdAt: NOW });
    await store.mute({ room: 'dev', userId: 2, until: null, mutedBy: 1, createdAt: NOW });
    await other.mute({ room: 'lobby', userId: 2, until: NOW + 5000, mutedBy: 7, createdAt: NOW + 1 });
    expect(await other.muteOf('lobby', 2, NOW + 2000)).toEqual({
      room: 'lobby',
      userId: 2,
      until: NOW + 5000,
      mutedBy: 7,
      createdAt: NOW + 1,
    });
    expect(await store.muteOf('lobby', 2, NOW + 5000)).toBeNull();
    expect((await store.mutes(NOW)).map((m) => [m.room, m.userId])).toEqual([
      ['dev', 2],
      ['lobby', 2],
    ]);
    expect((await store.mutes(NOW + 6000)).map((m) => m.room)).toEqual(['dev']);
    expect(await other.unmute('dev', 2, NOW)).toBe(true);
    expect(await other.unmute('dev', 2, NOW)).toBe(false);
    expect(await store.unmute('lobby', 2, NOW + 9000)).toBe(false);
    expect(await store.muteOf('dev', 2, NOW)).toBeNull();
    expect(await store.endExpiredMutes!(NOW + 9000, 10)).toEqual([
      { room: 'lobby', userId: 2, until: NOW + 5000, mutedBy: 7, createdAt: NOW + 1 },
    ]);
    expect(await store.mutes(NOW)).toEqual([]);
  });

  it('hands each ended mute to one caller, earliest end first, and names the next end', async () => {
    const mute = (room: string, userId: number, until: number | null) =>
      store.mute({ room, userId, until, mutedBy: 1, createdAt: NOW });
    await mute('lobby', 2, NOW + 3000);
    await mute('lobby', 3, NOW + 1000);
    await mute('dev', 2, NOW + 2000);
    await mute('dev', 4, null);
    await mute('ops', 5, NOW + 9000);
    expect(await store.nextMuteEnd!(NOW)).toBe(NOW + 1000);
    expect(await other.endExpiredMutes!(NOW + 999, 10)).toEqual([]);
    const key = (m: { room: string; userId: number; until: number | null }) =>
      `${m.room}/${m.userId}@${m.until! - NOW}`;
    expect((await store.endExpiredMutes!(NOW + 3000, 2)).map(key).sort()).toEqual(['dev/2@2000', 'lobby/3@1000']);
    await mute('lobby', 3, NOW + 2500);
    const [first, second] = await Promise.all([
      store.endExpiredMutes!(NOW + 3000, 10),
      other.endExpiredMutes!(NOW + 3000, 10),
    ]);
    expect([...first, ...second].map(key).sort()).toEqual(['lobby/2@3000', 'lobby/3@2500']);
    expect(await other.endExpiredMutes!(NOW + 3000, 10)).toEqual([]);
    expect(await other.nextMuteEnd!(NOW + 3000)).toBe(NOW + 9000);
    expect(await other.nextMuteEnd!(NOW + 9000)).toBeNull();
    expect((await store.mutes(NOW)).map((m) => [m.room, m.userId])).toEqual([
      ['dev', 4],
      ['ops', 5],
    ]);
  });

  it('stores one flag per message and flagger, lists open flags per room and resolves each once', async () => {
    const first = await store.flag({ messageId: 10, room: 'lobby', flaggerId: 2, reason: 'spam', createdAt: NOW });
    expect(first.created).toBe(true);
    expect(first.flag).toMatchObject({ messageId: 10, room: 'lobby', flaggerId: 2, reason: 'spam', resolvedAt: null });
    const again = await other.flag({ messageId: 10, room: 'lobby', flaggerId: 2, reason: 'other', createdAt: NOW });
    expect(again).toEqual({ flag: first.flag, created: false });
    const second = await other.flag({ messageId: 10, room: 'lobby', flaggerId: 3, reason: 'rude', createdAt: NOW });
    await store.flag({ messageId: 11, room: 'dev', flaggerId: 3, reason: 'x', createdAt: NOW });
    expect(second.flag.id).toBeGreaterThan(first.flag.id);
    expect((await store.openFlags('lobby')).map((f) => f.id)).toEqual([first.flag.id, second.flag.id]);
    const resolved = await other.resolveFlag(first.flag.id, { by: 1, at: NOW + 1, resolution: 'deleted' });
    expect(resolved).toMatchObject({ id: first.flag.id, resolvedBy: 1, resolvedAt: NOW + 1, resolution: 'deleted' });
    expect(await store.resolveFlag(first.flag.id, { by: 1, at: NOW + 2, resolution: 'again' })).toBeNull();
    expect(await store.resolveFlag(98765, { by: 1, at: NOW, resolution: 'none' })).toBeNull();
    expect(await store.findFlag(first.flag.id)).toEqual(resolved);
    expect((await other.openFlags('lobby')).map((f) => f.id)).toEqual([second.flag.id]);
  });

  it('keeps the audit log, newest first, in pages', async () => {
    const entry = (action: 'delete' | 'mute', at: number) => ({
      actorId: 1,
      action,
      room: 'lobby',
      targetUserId: 2,
      messageId: action === 'delete' ? 10 : null,
      flagId: null,
      detail: action === 'mute' ? 'until 2030' : null,
      createdAt: at,
    });
    const a = await store.audit(entry('delete', NOW));
    const b = await other.audit(entry('mute', NOW + 1));
    const c = await store.audit(entry('delete', NOW + 2));
    expect(a).toEqual({ id: a.id, ...entry('delete', NOW) });
    expect(b.id).toBeGreaterThan(a.id);
    expect(await other.auditLog({ limit: 10 })).toEqual([c, b, a]);
    expect(await store.auditLog({ limit: 2 })).toEqual([c, b]);
    expect(await store.auditLog({ beforeId: b.id, limit: 2 })).toEqual([a]);
  });
});
