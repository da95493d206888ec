/**
 * Optional protocol features a client asks for at connect, as the `caps` query parameter
 * of the `/ws` URL (comma-separated, e.g. `/ws?caps=presence_changes`). Names the server
 * does not know are ignored, so a client may offer more than a server supports; a client
 * that offers nothing gets the seed protocol.
 * - `presence_changes`: presence as a count, a paged list (`online_page`) and at most one
 *   coalesced `presence` frame per tick, instead of `online_users`/`user_joined`/`user_left`.
 */
export type ChatCapability = 'presence_changes';

const KNOWN: ReadonlySet<string> = new Set<ChatCapability>(['presence_changes']);
const NONE: ReadonlySet<ChatCapability> = new Set();

/** Capability sets by the `caps` value they were read from (shared: sockets that ask alike get the same set). */
const byAsked = new Map<string, ReadonlySet<ChatCapability>>();
/** Most distinct `caps` values remembered; past it the memory starts over. */
const MAX_REMEMBERED = 64;

/** The capabilities the upgrade request asked for that this server knows. */
export function capabilitiesOf(request: { url?: string }): ReadonlySet<ChatCapability> {
  const url = request.url ?? '';
  const query = url.indexOf('?');
  if (query < 0) return NONE;
  const asked = capsParameter(url.slice(query + 1));
  if (!asked) return NONE;
  let capabilities = byAsked.get(asked);
  if (capabilities) return capabilities;
  const names = asked.split(',').map((name) => name.trim());
  capabilities = new Set(names.filter((name): name is ChatCapability => KNOWN.has(name)));
  if (byAsked.size >= MAX_REMEMBERED) byAsked.clear();
  byAsked.set(asked, capabilities);
  return capabilities;
}

/** The first `caps` parameter of a query string, as `URLSearchParams.get` reads it. */
function capsParameter(search: string): string | null {
  for (const part of search.split('&')) {
    if (!part.startsWith('caps=')) continue;
    const value = part.slice(5);
    return value.includes('%') || value.includes('+') ? new URLSearchParams(part).get('caps') : value;
  }
  return search.includes('%') || search.includes('+') ? new URLSearchParams(search).get('caps') : null;
}
