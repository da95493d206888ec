/**
 * Settles like `check`, or resolves `false` once `ms` passed: a probe that hangs (a
 * database that stopped answering) reports "down" instead of holding the health check.
 */
export async function within(ms: number, check: () => Promise<boolean>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([check().catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
