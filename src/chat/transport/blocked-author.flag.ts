import { serializedFrameType } from '../protocol/frame-types.js';
import { encodeTextFrameOf } from './text-frame.js';

/**
 * The `blocked: true` variant of one room `chat_message` frame, for the sockets of users who
 * block its author. Costs nothing for a socket whose user blocks nobody; the frame is read
 * (parsed once) only when such a socket is met, and the variant is encoded once.
 */
export class BlockedAuthorFlag {
  private authorId: number | null | undefined;
  private encoded: Buffer | undefined;

  constructor(private readonly frame: string) {}

  /** The flagged bytes when `blocked` holds the frame's author, else undefined. */
  for(blocked: ReadonlySet<number>): Buffer | undefined {
    if (blocked.size === 0) return undefined;
    const author = this.author();
    if (author === null || !blocked.has(author)) return undefined;
    return (this.encoded ??= encodeTextFrameOf(`${this.frame.slice(0, -1)},"blocked":true}`));
  }

  private author(): number | null {
    if (this.authorId === undefined) {
      this.authorId =
        serializedFrameType(this.frame) === 'chat_message'
          ? (JSON.parse(this.frame) as { user_id: number }).user_id
          : null;
    }
    return this.authorId;
  }
}
