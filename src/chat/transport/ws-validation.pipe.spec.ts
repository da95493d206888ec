import { describe, expect, it } from 'vitest';
import { ChatError } from '../chat.errors.js';
import { ChatMessageDto, HistoryDto, PrivateMessageDto, ResumeDto, TypingDto } from '../protocol/dto/message.dto.js';
import { createWsValidationPipe } from './ws-validation.pipe.js';

const pipe = createWsValidationPipe();
const validate = (metatype: new () => object, value: unknown) => pipe.transform(value, { type: 'body', metatype });

describe('inbound frame validation', () => {
  it('trims content and strips identity fields a client tries to set', async () => {
    const dto = await validate(ChatMessageDto, { type: 'chat_message', content: '  hi  ', user_id: 1, nickname: 'x' });
    expect(dto).toEqual(Object.assign(new ChatMessageDto(), { content: 'hi' }));
  });

  it.each([
    [ChatMessageDto, {}, 'content must be a string'],
    [ChatMessageDto, { content: '\n\t ' }, 'content must not be empty'],
    [ChatMessageDto, { content: 'a', client_id: 5 }, 'client_id must be a string'],
    [PrivateMessageDto, { content: 'a', to: 0 }, 'to must be a user id (positive integer)'],
    [PrivateMessageDto, { content: 'a', to: 1e300 }, 'to must be a user id (positive integer)'],
    [TypingDto, { to: 2, active: 'yes' }, 'active must be a boolean'],
    [HistoryDto, { limit: 0 }, 'limit must be an integer 1–50'],
    [HistoryDto, { before: '5' }, 'before must be a message id (positive integer)'],
    [ResumeDto, {}, 'since must be a message id (integer ≥ 0)'],
  ])('refuses %o with invalid_message', async (metatype, value, message) => {
    const error = await validate(metatype as new () => object, value).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChatError);
    expect(error).toMatchObject({ code: 'invalid_message', message });
  });

  it('accepts the optional fields being absent', async () => {
    await expect(validate(HistoryDto, {})).resolves.toEqual(new HistoryDto());
    await expect(validate(ResumeDto, { since: 0 })).resolves.toMatchObject({ since: 0 });
  });
});
