/** Most bytes of log lines held before they are written without waiting for the end of the turn. */
const MAX_HELD_BYTES = 64 * 1024;

/**
 * Log lines to stdout/stderr in one write per event-loop turn instead of one per line:
 * a write to a pipe or file is a synchronous system call on Linux, and a burst of
 * connections logs two lines each. Lines keep their order; stdout lines are held until the
 * turn ends (or 64 kB are held, or the process exits), stderr lines (errors and warnings)
 * are written at once, after the stdout lines held before them.
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
    setImmediate(() => this.flush()).unref();
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
