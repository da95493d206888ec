/** The schemes a web page can have: an `Origin` with any other (`ftp:`, `file:`, …) is never the forum's. */
const WEB_SCHEMES: ReadonlySet<string> = new Set(['http:', 'https:']);

/**
 * Whether a browser `Origin` may open the socket. No `Origin` (a non-browser client) is
 * allowed. With `allowed` set, the origin must equal one entry exactly (scheme included);
 * without, its scheme must be `http` or `https` and its host and port must equal the
 * request's `Host` header (same-site deployments).
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
    const url = new URL(origin);
    return WEB_SCHEMES.has(url.protocol) && url.host === host.toLowerCase();
  } catch {
    return false;
  }
}
