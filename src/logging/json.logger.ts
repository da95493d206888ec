import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { processLineWriter } from './batched-line-writer.js';

/** Where a finished log line goes: by default the process's stdout (stderr for errors). */
export type LogSink = (line: string, stream: 'stdout' | 'stderr') => void;

/**
 * Keys whose values are masked wherever they appear in structured log fields: secrets
 * and message text must never reach the logs, even if someone logs a whole object.
 */
export const REDACTED_KEYS = ['password', 'token', 'session_id', 'sessionKey', 'cookie', 'authorization', 'content'];

/**
 * The server's logger: Nest's own `ConsoleLogger` in JSON mode, one object per line —
 * `level`, `pid`, `timestamp` (epoch ms), `message`, `context`, and the structured fields
 * a call passes (`logger.log('connection opened', { connection_id, user_id })`) flattened
 * into the object. Values under `REDACTED_KEYS` are masked. Lines go to `sink` when one is
 * given (tests capture them), else to stdout/stderr, one write per event-loop turn
 * (`BatchedLineWriter`).
 */
export class JsonLogger extends ConsoleLogger {
  constructor(
    private readonly sink?: LogSink,
    logLevels?: LogLevel[],
  ) {
    super({ json: true, flattenParams: true, redact: REDACTED_KEYS, ...(logLevels ? { logLevels } : {}) });
  }

  protected override printAsJson(message: unknown, options: Parameters<ConsoleLogger['printAsJson']>[1]): void {
    const stream = options.writeStreamType ?? 'stdout';
    if (!this.sink) {
      processLineWriter().write(this.stringifyJsonLogObject(this.getJsonLogObject(message, options)), stream);
      return;
    }
    this.sink(JSON.stringify(this.getJsonLogObject(message, options)), stream);
  }
}
