/** Argon2id cost parameters of one hash. */
export interface Argon2idParameters {
  /** Memory per hash, in KiB (`m=` of the PHC string). */
  memoryKiB: number;
  /** Passes over that memory (`t=`). */
  timeCost: number;
  /** Lanes (`p=`). */
  parallelism: number;
}

/**
 * OWASP Password Storage Cheat Sheet's equivalent minimum Argon2id configurations (p=1):
 * each row's memory with at least its passes. The first choice, 19 MiB with 2 passes, is
 * the default (`OWASP_ARGON2ID`).
 */
export const OWASP_ARGON2ID_MINIMUMS: readonly { memoryKiB: number; timeCost: number }[] = [
  { memoryKiB: 47_104, timeCost: 1 },
  { memoryKiB: 19_456, timeCost: 2 },
  { memoryKiB: 12_288, timeCost: 3 },
  { memoryKiB: 9_216, timeCost: 4 },
  { memoryKiB: 7_168, timeCost: 5 },
];

/** OWASP's first Argon2id configuration: m=19456 KiB (19 MiB), t=2, p=1 (some tens of ms per hash). */
export const OWASP_ARGON2ID: Argon2idParameters = { memoryKiB: 19_456, timeCost: 2, parallelism: 1 };

/**
 * Largest cost a hash may have, for new hashes (`AUTH_ARGON2_*`) and stored ones alike: a
 * stored hash asking for more (a corrupt or hostile row) is refused rather than computed.
 */
export const ARGON2ID_LIMITS = { maxMemoryKiB: 262_144, maxTimeCost: 10, maxParallelism: 4 } as const;

/** The least memory (KiB) OWASP asks for with `timeCost` passes; `Infinity` when `timeCost` is below 1. */
export function owaspMinimumMemoryKiB(timeCost: number): number {
  const rows = OWASP_ARGON2ID_MINIMUMS.filter((row) => row.timeCost <= timeCost);
  return Math.min(...rows.map((row) => row.memoryKiB));
}

/**
 * Why `parameters` cannot be used for new hashes (below OWASP's minimum for its passes, or
 * beyond `ARGON2ID_LIMITS`), naming the parameter at fault; null when they can.
 */
export function argon2idParametersProblem({ memoryKiB, timeCost, parallelism }: Argon2idParameters): string | null {
  if (!Number.isSafeInteger(timeCost) || timeCost < 1 || timeCost > ARGON2ID_LIMITS.maxTimeCost)
    return `timeCost must be an integer 1–${ARGON2ID_LIMITS.maxTimeCost}`;
  if (!Number.isSafeInteger(parallelism) || parallelism < 1 || parallelism > ARGON2ID_LIMITS.maxParallelism)
    return `parallelism must be an integer 1–${ARGON2ID_LIMITS.maxParallelism}`;
  const least = owaspMinimumMemoryKiB(timeCost);
  if (!Number.isSafeInteger(memoryKiB) || memoryKiB < least || memoryKiB > ARGON2ID_LIMITS.maxMemoryKiB)
    return `memoryKiB must be an integer ${least}–${ARGON2ID_LIMITS.maxMemoryKiB} with timeCost ${timeCost} (OWASP's minimum: ${describeOwaspMinimums()})`;
  return null;
}

/** OWASP's rows as `47104 KiB for t=1, 19456 for t=2, …`. */
export function describeOwaspMinimums(): string {
  return OWASP_ARGON2ID_MINIMUMS.map((row, i) => `${row.memoryKiB}${i === 0 ? ' KiB' : ''} for t=${row.timeCost}`).join(
    ', ',
  );
}
