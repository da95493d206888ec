import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ForumStores, openForumStores } from './forum-stores.js';
import { ForumUserDirectory } from './forum-user.directory.js';

describe('ForumUserDirectory.findById (real SQLite forum stores)', () => {
  let dir: string;
  let stores: ForumStores;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fc-user-directory-'));
    stores = await openForumStores(`sqlite:${join(dir, 'forum.db')}`);
  });
  afterEach(async () => {
    await stores.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers id and nickname, and a user found once without reading the database again', async () => {
    const ann = await stores.users.create({ nickname: 'ann', email: null, passwordHash: 'x' });
    const directory = new ForumUserDirectory(stores.users);
    expect(await directory.findById(ann.id)).toEqual({ id: ann.id, nickname: 'ann' });
    await stores.close(); // any read now fails: the second answer is the kept one
    expect(await directory.findById(ann.id)).toEqual({ id: ann.id, nickname: 'ann' });
  });

  it('asks again for an id it did not know: a user registered since is found', async () => {
    const directory = new ForumUserDirectory(stores.users);
    expect(await directory.findById(1)).toBeNull();
    const ben = await stores.users.create({ nickname: 'ben', email: null, passwordHash: 'x' });
    expect(ben.id).toBe(1);
    expect(await directory.findById(1)).toEqual({ id: 1, nickname: 'ben' });
  });
});
