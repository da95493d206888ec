import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { NewMessage } from './message.store.js';
import { SqliteMessageStore } from './sqlite-message.store.js';

const dir = mkdtempSync(join(tmpdir(), 'sqlite-message-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lobby = (content: string): NewMessage => ({
  senderId: 1,
  senderNickname: 'ada',
  recipientId: null,
  room: 'lobby',
  content,
  createdAt: Date.now(),
  clientId: null,
});
const resume = (store: SqliteMessageStore, sinceId: number) =>
  store
    .since({ viewerId: 2, sinceId, limit: 500, rooms: ['lobby'] })
    .then((page) => page.messages.map((m) => m.content));

describe('SqliteMessageStore resume (since)', () => {
  it('answers a resume from the latest id with nothing, and one from before it with every newer message', async () => {
    const path = join(dir, 'latest.db');
    const store = SqliteMessageStore.open(path);
    expect(await resume(store, 0)).toEqual([]);
    const { message: first } = await store.append(lobby('one'));
    expect(await resume(store, 0)).toEqual(['one']);
    expect(await resume(store, first.id)).toEqual([]);
    const { message: second } = await store.append(lobby('two'));
    expect(await resume(store, first.id)).toEqual(['two']);
    expect(await resume(store, second.id)).toEqual([]);
    expect(await resume(store, second.id + 5)).toEqual([]);
    await store.close();
  });

  it('knows the messages stored before it opened the file', async () => {
    const path = join(dir, 'reopened.db');
    const first = SqliteMessageStore.open(path);
    const { message } = await first.append(lobby('before'));
    await first.close();
    const reopened = SqliteMessageStore.open(path);
    expect(await resume(reopened, 0)).toEqual(['before']);
    expect(await resume(reopened, message.id - 1)).toEqual(['before']);
    expect(await resume(reopened, message.id)).toEqual([]);
    await reopened.close();
  });
});

describe('SqliteMessageStore resume beside another connection to the file', () => {
  it('sees the messages another connection stored since it opened (two instances on one file)', async () => {
    const path = join(dir, 'shared.db');
    const one = SqliteMessageStore.open(path);
    const two = SqliteMessageStore.open(path);
    try {
      const { message: seen } = await one.append(lobby('seen'));
      expect(await resume(two, seen.id)).toEqual([]);
      await one.append(lobby('missed while away'));
      expect(await resume(two, seen.id)).toEqual(['missed while away']);
      const { message: own } = await two.append(lobby('own'));
      expect(await resume(one, seen.id)).toEqual(['missed while away', 'own']);
      expect(await resume(two, own.id)).toEqual([]);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});
