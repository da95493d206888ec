import { describe, expect, it } from 'vitest';
import { ChatError } from '../chat.errors.js';
import {
  BlockDto,
  ChatMessageDto,
  DeleteMessageDto,
  HistoryDto,
  OnlinePageDto,
  PrivateMessageDto,
  ResumeDto,
  TypingDto,
} from '../protocol/dto/message.dto.js';
import { MuteDto, ResolveFlagDto } from '../protocol/dto/moderation.dto.js';
import { ConversationsDto, MarkReadDto } from '../protocol/dto/read-state.dto.js';
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
    [ResumeDto, { since: -1 }, 'since must be a message id (integer ≥ 0)'],
    [DeleteMessageDto, { id: 1.5 }, 'id must be a message id (positive integer)'],
    [BlockDto, { user_id: 2 ** 53 }, 'user_id must be a user id (positive integer)'],
    [MuteDto, { user_id: 0 }, 'user_id must be a user id (positive integer)'],
    [MuteDto, { user_id: 2, duration_ms: 999 }, 'duration_ms must be an integer of milliseconds, 1000 to 366 days'],
    [
      MuteDto,
      { user_id: 2, room: 'Lobby' },
      'room must be a room id (a-z, 0-9, _ and -, starting with a letter or digit, at most 64)',
    ],
    [ResolveFlagDto, { id: -3, resolution: 'ok' }, 'id must be a flag id (positive integer)'],
    [MarkReadDto, { with: 'x', id: 1 }, 'with must be a user id (positive integer)'],
    [
      MarkReadDto,
      { room: 5, id: 1 },
      'room must be a room id (a-z, 0-9, _ and -, starting with a letter or digit, at most 64)',
    ],
    [ConversationsDto, { limit: 101 }, 'limit must be an integer 1–100'],
    [OnlinePageDto, { after: -1 }, 'after must be a user id (integer ≥ 0)'],
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
