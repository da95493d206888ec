import type { ChatParticipant } from '../chat-participant.js';
import { ChatError } from '../chat.errors.js';
import type { PublicUser } from '../protocol/frames.js';
import type { ChatUserDirectory } from './chat-user.directory.js';

/**
 * The user `userId` names, when it is someone other than `participant` and the directory
 * knows them; otherwise the refusal: `invalid_message` for one's own id, `not_found` for an
 * unknown one.
 */
export async function otherUser(
  directory: ChatUserDirectory,
  participant: ChatParticipant,
  userId: number,
): Promise<PublicUser> {
  if (userId === participant.user.id) throw new ChatError('invalid_message', 'that is your own user id');
  const user = await directory.findById(userId);
  if (!user) throw new ChatError('not_found', `no user with id ${userId}`);
  return user;
}
