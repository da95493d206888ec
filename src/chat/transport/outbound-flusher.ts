/** Something with frames queued that wants them written in one batch. */
export interface Flushable {
  flush(): void;
}

/**
 * Collects the sockets that got frames during one event-loop turn and flushes each of
 * them once, after the turn's I/O callbacks (`setImmediate`): a broadcast burst costs one
 * write per socket per turn instead of one per frame.
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
    for (const target of batch) target.flush();
  };
}
