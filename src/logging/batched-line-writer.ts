/** Most bytes of log lines held before they are written without waiting. */
const MAX_HELD_BYTES = 64 * 1024;
/** Longest a stdout line is held before it is written. */
export const LOG_HOLD_MS = 10;

/**
 * Log lines to stdout/stderr in one write per `LOG_HOLD_MS` at most instead of one per
 * line: a write to a pipe or file is a synchronous system call on Linux, and a burst of
 * connections logs two lines each. Lines keep their order; a stdout line is held for
 * `LOG_HOLD_MS` at most (less when 64 kB are held, or the process exits), stderr lines
 * (errors and warnings) are written at once, after the stdout lines held before them.
 */
export class BatchedLineWriter {
  private held = '';
  private scheduled = false;

  constructor(
    private readonly stdout: NodeJS.WritableStream = process.stdout,
    private readonly stderr: NodeJS.WritableStream = process.stderr,
  ) {
    process.once('exit', () => this.flush());
  }

  /** Writes one line (without its newline) to `stream`. */
  write(line: string, stream: 'stdout' | 'stderr'): void {
    if (stream === 'stderr') {
      this.flush();
      this.stderr.write(`${line}\n`);
      return;
    }
    this.held += `${line}\n`;
    if (this.held.length >= MAX_HELD_BYTES) return this.flush();
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => this.flush(), LOG_HOLD_MS).unref();
  }

  /** Writes every held line now. */
  flush(): void {
    this.scheduled = false;
    if (this.held === '') return;
    const text = this.held;
    this.held = '';
    this.stdout.write(text);
  }
}

let processWriter: BatchedLineWriter | null = null;

/** The process's one writer to its own stdout/stderr. */
export function processLineWriter(): BatchedLineWriter {
  return (processWriter ??= new BatchedLineWriter());
}
