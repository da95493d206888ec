/**
 * Optional protocol features a client asks for at connect, as the `caps` query parameter
 * of the `/ws` URL (comma-separated, e.g. `/ws?caps=presence_changes`). Names the server
 * does not know are ignored, so a client may offer more than a server supports; a client
 * that offers nothing gets the seed protocol.
 * - `presence_changes`: presence as a count, a paged list (`online_page`) and one
 *   coalesced `presence` frame per tick, instead of `online_users`/`user_joined`/`user_left`.
 */
export type ChatCapability = 'presence_changes';

const KNOWN: ReadonlySet<string> = new Set<ChatCapability>(['presence_changes']);
const NONE: ReadonlySet<ChatCapability> = new Set();

/** The capabilities the upgrade request asked for that this server knows. */
export function capabilitiesOf(request: { url?: string }): ReadonlySet<ChatCapability> {
  const url = request.url ?? '';
  const query = url.indexOf('?');
  if (query < 0) return NONE;
  const asked = new URLSearchParams(url.slice(query + 1)).get('caps');
  if (!asked) return NONE;
  const names = asked.split(',').map((name) => name.trim());
  return new Set(names.filter((name): name is ChatCapability => KNOWN.has(name)));
}
