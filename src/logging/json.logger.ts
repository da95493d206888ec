import { ConsoleLogger, type LogLevel } from '@nestjs/common';
import { processLineWriter } from './batched-line-writer.js';

/** Where a finished log line goes: by default the process's stdout (stderr for errors). */
export type LogSink = (line: string, stream: 'stdout' | 'stderr') => void;

/**
 * Keys whose values are masked wherever they appear in structured log fields: secrets
 * and message text must never reach the logs, even if someone logs a whole object.
 */
export const REDACTED_KEYS = ['password', 'token', 'session_id', 'sessionKey', 'cookie', 'authorization', 'content'];

/** `REDACTED_KEYS` as the redactor compares them (lower case). */
const REDACTED = new Set(REDACTED_KEYS.map((key) => key.toLowerCase()));
/** The keys every record has (a field by one of these names never replaces them). */
const RECORD_KEYS = new Set(['level', 'pid', 'timestamp', 'message', 'context', 'stack', 'error']);
/** Field names written as they are in a JSON key, never reordered (not integer-like). */
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The server's logger: Nest's own `ConsoleLogger` in JSON mode, one object per line —
 * `level`, `pid`, `timestamp` (epoch ms), `message`, `context`, and the structured fields
 * a call passes (`logger.log('connection opened', { connection_id, user_id })`) flattened
 * into the object. Values under `REDACTED_KEYS` are masked. Lines go to `sink` when one is
 * given (tests capture them), else to stdout/stderr, one write per `LOG_HOLD_MS` at most
 * (`BatchedLineWriter`).
 */
export class JsonLogger extends ConsoleLogger {
  constructor(
    private readonly sink?: LogSink,
    logLevels?: LogLevel[],
  ) {
    super({ json: true, flattenParams: true, redact: REDACTED_KEYS, ...(logLevels ? { logLevels } : {}) });
  }

  /**
   * `log(message, fields, context)` with fields that are all finite numbers under plain,
   * unmasked names (a connection's open and close lines) is written without Nest's generic
   * formatting: the same line, byte for byte, at a fraction of the cost. Anything else takes
   * the generic path.
   */
  override log(message: unknown, ...optionalParams: unknown[]): void {
    if (optionalParams.length === 2 && typeof message === 'string' && typeof optionalParams[1] === 'string') {
      const fields = numericFieldsJson(optionalParams[0]);
      if (fields !== null && optionalParams[1] !== '') {
        if (!this.isLevelEnabled('log')) return;
        const line = `{"level":"log","pid":${process.pid},"timestamp":${Date.now()},"message":${jsonTextOf(message)},"context":${jsonTextOf(optionalParams[1])}${fields}}`;
        if (this.sink) this.sink(line, 'stdout');
        else processLineWriter().write(line, 'stdout');
        return;
      }
    }
    super.log(message, ...optionalParams);
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

/**
 * `,"key":value…` for a plain object whose values are all finite numbers under names that
 * are written as they are, neither masked nor a record key; null for anything else.
 */
function numericFieldsJson(fields: unknown): string | null {
  if (typeof fields !== 'object' || fields === null || Object.getPrototypeOf(fields) !== Object.prototype) return null;
  let json = '';
  for (const key in fields) {
    const value = (fields as Record<string, unknown>)[key];
    if (typeof value !== 'number' || !Number.isFinite(value) || !isPlainFieldName(key)) return null;
    json += `,"${key}":${value}`;
  }
  return json === '' ? null : json;
}

/** Most texts each memo below keeps (a few fixed texts in practice; bounded all the same). */
const MEMO_LIMIT = 1_000;

/** `compute` answered once per text: the first `MEMO_LIMIT` texts' answers are kept. */
function memoizedByText<T>(compute: (text: string) => T): (text: string) => T {
  const answers = new Map<string, T>();
  return (text) => {
    if (answers.has(text)) return answers.get(text)!;
    const answer = compute(text);
    if (answers.size < MEMO_LIMIT) answers.set(text, answer);
    return answer;
  };
}

/** `JSON.stringify(text)` of a log line's message or context, computed once per text. */
const jsonTextOf = memoizedByText((text) => JSON.stringify(text));

/** Whether field name `key` is written as it is, neither masked nor a record key; judged once per name. */
const isPlainFieldName = memoizedByText(
  (key) => PLAIN_KEY.test(key) && !RECORD_KEYS.has(key) && !REDACTED.has(key.toLowerCase()),
);
