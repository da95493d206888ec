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

  it('writes numeric fields the way it writes any fields: same keys, same order, level filter kept', () => {
    const lines: string[] = [];
    const logger = new JsonLogger((line) => lines.push(line));
    logger.log('connection closed', { connection_id: 7, user_id: 3, code: 1000, duration_ms: 12 }, 'ChatConnection');
    // a string field takes the generic path
    logger.log(
      'connection closed',
      { connection_id: 7, user_id: 3, code: 1000, duration_ms: 12, tag: 'x' },
      'ChatConnection',
    );
    // masked, reserved or numeric-looking names and non-finite values take it too
    logger.log('odd', { token: 1, level: 2, 3: 4, n: Number.NaN }, 'X');
    const [numeric, generic, odd] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(Object.keys(numeric)).toEqual(Object.keys(generic).filter((key) => key !== 'tag'));
    expect({ ...numeric, timestamp: 0 }).toEqual({ ...generic, tag: undefined, timestamp: 0 });
    expect(lines[0]).toBe(JSON.stringify(numeric));
    expect(odd).toMatchObject({ level: 'log', message: 'odd', token: '[REDACTED]', 3: 4, n: null });

    const quiet: string[] = [];
    new JsonLogger((line) => quiet.push(line), ['error']).log('connection opened', { connection_id: 1 }, 'X');
    expect(quiet).toEqual([]);
  });
});
