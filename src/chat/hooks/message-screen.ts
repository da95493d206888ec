import { Inject, Injectable } from '@nestjs/common';
import { ChatError } from '../chat.errors.js';
import { RESOLVED_CHAT_OPTIONS, type ResolvedChatOptions } from '../chat.options.js';
import { codePointLength } from '../protocol/code-point-length.js';
import { isChatText } from '../protocol/dto/chat-text.js';
import type { FilteredMessage } from './message-filter.js';

/**
 * The last check of a message's content before it is stored: its length against
 * `maxContentChars`, then the host's `messageFilter`, if any. Answers the content to
 * store, or throws the `ChatError` the sender sees.
 */
@Injectable()
export class MessageScreen {
  constructor(@Inject(RESOLVED_CHAT_OPTIONS) private readonly options: ResolvedChatOptions) {}

  /** Refuses content over `maxContentChars` with `invalid_message`. */
  checkLength(content: string): void {
    if (codePointLength(content) > this.options.maxContentChars) {
      throw new ChatError('invalid_message', `content must be at most ${this.options.maxContentChars} characters`);
    }
  }

  /** Whether the host set a `messageFilter` (without one, `filter` answers the content as it is). */
  get filters(): boolean {
    return this.options.messageFilter != null;
  }

  /** Runs the host's filter: the content to store (the same or rewritten), or a refusal. */
  async filter(message: FilteredMessage): Promise<string> {
    const filter = this.options.messageFilter;
    if (!filter) return message.content;
    const verdict = await filter(message);
    if (!verdict || verdict.action === 'accept') return message.content;
    if (verdict.action === 'reject') throw new ChatError('invalid_message', verdict.reason || 'message refused');
    const content = typeof verdict.content === 'string' ? verdict.content.trim() : '';
    if (content === '' || !isChatText(content)) throw new ChatError('invalid_message', 'message refused');
    this.checkLength(content);
    return content;
  }
}
