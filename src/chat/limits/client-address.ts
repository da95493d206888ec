import { isIPv6 } from 'node:net';

/**
 * The key under which a client address is rate-limited: an IPv4 address as is (also
 * when IPv4-mapped, `::ffff:a.b.c.d`), an IPv6 address by its /64 prefix (one
 * subscriber usually holds a whole /64), `unknown` when the socket has no address.
 * Proxy headers (`X-Forwarded-For`) are not trusted.
 */
export function clientAddressKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head, tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
