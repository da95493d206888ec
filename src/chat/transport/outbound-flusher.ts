/**
 * Joins the frames queued for one socket into one buffer, reusing the result for every
 * other socket whose queue holds the very same frames (by identity) in the same order — the
 * common case when a turn's traffic is broadcasts. Valid for one flush round only.
 */
export class BatchJoiner {
  private readonly joined = new Map<Buffer, { frames: Buffer[]; bytes: Buffer }>();

  join(frames: Buffer[]): Buffer {
    if (frames.length === 1) return frames[0];
    const cached = this.joined.get(frames[0]);
    if (cached && sameFrames(cached.frames, frames)) return cached.bytes;
    const bytes = Buffer.concat(frames);
    if (!cached) this.joined.set(frames[0], { frames, bytes });
    return bytes;
  }
}

function sameFrames(a: Buffer[], b: Buffer[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Something with frames queued that wants them written in one batch. */
export interface Flushable {
  flush(joiner: BatchJoiner): void;
}

/**
 * Collects the sockets that got frames during one event-loop turn and flushes each of
 * them once, after the turn's I/O callbacks (`setImmediate`): a burst costs one write per
 * socket per turn instead of one per frame, and sockets that got the same frames share one
 * joined buffer.
 */
export class OutboundFlusher {
  private pending: Flushable[] = [];
  private scheduled = false;

  schedule(target: Flushable): void {
    this.pending.push(target);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(this.flushAll);
  }

  private readonly flushAll = (): void => {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    const joiner = new BatchJoiner();
    for (const target of batch) target.flush(joiner);
  };
}
