import type { SqliteDatabase } from './sqlite.js';

interface Pending<I, O> {
  input: I;
  resolve: (output: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for SQLite: a write that finds no commit in progress or recently made is
 * committed at once (no added latency when idle); the writes that follow it within the
 * same event-loop turn are applied together in one transaction after the turn, each in its
 * own savepoint, in submission order. A write's promise settles only after its transaction
 * has committed (so "resolved" means durable), and a write that throws rolls back alone
 * and rejects alone. Under load, one commit per turn instead of one per write is what lets
 * many concurrent writers share the cost of the commit.
 */
export class GroupCommit<I, O> {
  private pending: Array<Pending<I, O>> = [];
  private scheduled = false;
  /** A write was committed at once during this turn: the next ones of the turn are grouped. */
  private committedThisTurn = false;
  private readonly commitAll: (
    batch: Array<Pending<I, O>>,
  ) => Array<{ ok: true; value: O } | { ok: false; error: unknown }>;

  constructor(db: SqliteDatabase, write: (input: I) => O) {
    const writeInSavepoint = db.transaction(write);
    this.commitAll = db.transaction((batch: Array<Pending<I, O>>) =>
      batch.map((item) => {
        try {
          return { ok: true as const, value: writeInSavepoint(item.input) };
        } catch (error) {
          return { ok: false as const, error };
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
    let outcomes;
    try {
      outcomes = this.commitAll(batch);
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    outcomes.forEach((outcome, i) => (outcome.ok ? batch[i].resolve(outcome.value) : batch[i].reject(outcome.error)));
  };
}
