import type { PublicUser } from '../protocol/frames.js';
import type { ChatUserDirectory } from './chat-user.directory.js';

/**
 * The users with these ids, by id (unknown ones are absent): one batched `findByIds` when
 * the directory has it, else one `findById` per id.
 */
export async function usersByIds(directory: ChatUserDirectory, ids: number[]): Promise<Map<number, PublicUser>> {
  if (ids.length === 0) return new Map();
  const found = directory.findByIds
    ? await directory.findByIds(ids)
    : (await Promise.all(ids.map((id) => directory.findById(id)))).filter((user): user is PublicUser => user !== null);
  return new Map(found.map((user) => [user.id, { id: user.id, nickname: user.nickname }]));
}
