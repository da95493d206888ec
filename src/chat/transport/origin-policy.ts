/**
 * Whether a browser `Origin` may open the socket. No `Origin` (a non-browser client) is
 * allowed. With `allowed` set, the origin must equal one entry exactly; without, its
 * host and port must equal the request's `Host` header (same-site deployments).
 */
export function isOriginAllowed(
  origin: string | undefined,
  host: string | undefined,
  allowed: string[] | null,
): boolean {
  if (origin === undefined || origin === '') return true;
  if (allowed) return allowed.includes(origin);
  if (!host) return false;
  try {
    return new URL(origin).host === host.toLowerCase();
  } catch {
    return false;
  }
}
