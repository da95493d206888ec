import type { SqliteDatabase } from './sqlite.js';

type Outcome<O> = { ok: true; value: O } | { ok: false; error: unknown };

interface Pending<I, O> {
  input: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for SQLite: a write that finds no commit in progress or recently made is
 * committed at once (no added latency when idle); the writes that follow it within the
 * same event-loop turn are applied together in one transaction after the turn, in
 * submission order. A write's promise settles only after its transaction has committed (so
 * "resolved" means durable), and a write that throws rolls back alone and rejects alone:
 * the batch runs first without a savepoint per write (they cost about as much as a small
 * write itself), and only when one of its writes throws is it rolled back and run again
 * with each write in its own savepoint (a batch whose transaction itself fails — the
 * database locked, a commit refused — is rejected whole, not run again). So a write may
 * run twice, the first run's effects on the database undone; it must keep no state outside
 * the database that a second run would make wrong. Under load, one commit per turn instead of one per write is what lets
 * many concurrent writers share the cost of the commit.
 */
export class GroupCommit<I, O> {
  private pending: Array<Pending<I, O>> = [];
  private scheduled = false;
  /** A write was committed at once during this turn: the next ones of the turn are grouped. */
  private committedThisTurn = false;
  /** The batch in one transaction, no savepoints: throws (everything rolled back) when any write throws. */
  private readonly commitTogether: (batch: Array<Pending<I, O>>) => O[];
  /** The batch in one transaction, each write in its own savepoint: a write that throws is undone alone. */
  private readonly commitEachAlone: (batch: Array<Pending<I, O>>) => Outcome<O>[];

  constructor(db: SqliteDatabase, write: (input: I) => O) {
    const writeInSavepoint = db.transaction(write);
    this.commitTogether = db.transaction((batch: Array<Pending<I, O>>) =>
      batch.map((item) => {
        try {
          return write(item.input);
        } catch (error) {
          throw new WriteFailed(error);
        }
      }),
    ).immediate;
    this.commitEachAlone = db.transaction((batch: Array<Pending<I, O>>) =>
      batch.map((item): Outcome<O> => {
        try {
          return { ok: true, value: writeInSavepoint(item.input) };
        } catch (error) {
          return { ok: false, error };
        }
      }),
    ).immediate;
  }

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      if (this.scheduled) return;
      if (!this.committedThisTurn) {
        this.committedThisTurn = true;
        setImmediate(this.endTurn);
        this.flush();
        return;
      }
      this.scheduled = true;
      setImmediate(this.flush);
    });
  }

  private readonly endTurn = (): void => {
    this.committedThisTurn = false;
  };

  private readonly flush = (): void => {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    let outcomes: Outcome<O>[];
    try {
      outcomes = this.commitTogether(batch).map((value) => ({ ok: true, value }));
    } catch (failure) {
      // the transaction itself failed (begin or commit: locked, full, a deferred constraint): nothing to undo alone
      if (!(failure instanceof WriteFailed)) return batch.forEach((item) => item.reject(failure));
      if (batch.length === 1) return batch[0].reject(failure.error);
      try {
        outcomes = this.commitEachAlone(batch);
      } catch (commitError) {
        for (const item of batch) item.reject(commitError);
        return;
      }
    }
    outcomes.forEach((outcome, i) => (outcome.ok ? batch[i].resolve(outcome.value) : batch[i].reject(outcome.error)));
  };
}

/** A write of a batch run without savepoints threw `error` (as opposed to its transaction failing). */
class WriteFailed {
  constructor(readonly error: unknown) {}
}
