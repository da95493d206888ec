import { Logger } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { JsonLogger } from './json.logger.js';

describe('JsonLogger', () => {
  it('writes one JSON object per line with the structured fields flattened in', () => {
    const lines: Array<[string, string]> = [];
    const logger = new JsonLogger((line, stream) => lines.push([line, stream]));
    logger.log('connection opened', { connection_id: 7, user_id: 3 }, 'ChatConnection');
    logger.error('boom', 'Somewhere');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0][0])).toMatchObject({
      level: 'log',
      message: 'connection opened',
      context: 'ChatConnection',
      connection_id: 7,
      user_id: 3,
    });
    expect(lines[0][1]).toBe('stdout');
    expect(JSON.parse(lines[1][0])).toMatchObject({ level: 'error', message: 'boom', context: 'Somewhere' });
    expect(lines[1][1]).toBe('stderr');
  });

  it('masks secrets and message text passed as fields, at any depth', () => {
    const lines: string[] = [];
    const logger = new JsonLogger((line) => lines.push(line));
    logger.warn(
      'careless',
      { password: 'hunter22', nested: { token: 'abc', content: 'hello' }, Cookie: 'session_id=s' },
      'X',
    );
    const text = lines.join('\n');
    for (const secret of ['hunter22', 'abc', 'hello', 'session_id=s']) expect(text).not.toContain(secret);
    expect(JSON.parse(lines[0])).toMatchObject({ password: '[REDACTED]', nested: { token: '[REDACTED]' } });
  });

  it('serves as the logger behind Nest Logger instances', () => {
    const lines: string[] = [];
    Logger.overrideLogger(new JsonLogger((line) => lines.push(line)));
    try {
      new Logger('Ctx').log('hello', { n: 1 });
    } finally {
      Logger.overrideLogger(false);
    }
    expect(JSON.parse(lines[0])).toMatchObject({ message: 'hello', context: 'Ctx', n: 1 });
  });
});
