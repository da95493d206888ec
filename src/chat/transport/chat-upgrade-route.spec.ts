import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { isUpgradeFor } from './chat-upgrade-route.js';

/** An upgrade request for `url`; a null `host` sends no Host header. */
const request = (url: string | undefined, host: string | null = 'forum.example:3000') =>
  ({ url, headers: host === null ? {} : { host } }) as IncomingMessage;

/** What Nest's own routing compares with the server's path. */
const nestPathname = (req: IncomingMessage) => new URL(req.url!, `ws://${req.headers.host}/`).pathname;

describe('isUpgradeFor', () => {
  it('matches the path itself and the path with a query, as Nest would', () => {
    for (const url of ['/ws', '/ws?caps=presence_changes', '/ws?']) {
      expect(isUpgradeFor(request(url), '/ws')).toBe(true);
      expect(nestPathname(request(url))).toBe('/ws');
    }
    expect(isUpgradeFor(request('/chat/socket?x=1', '127.0.0.1'), '/chat/socket')).toBe(true);
  });

  it('leaves every other request to Nest', () => {
    for (const url of ['/ws/', '/wsx', '/ws#a', '/ws/../ws', '/WS', 'http://forum.example/ws', '/', undefined])
      expect(isUpgradeFor(request(url), '/ws')).toBe(false);
    for (const host of [null, '', '[::1]:3000', 'bad host', 'a/b'])
      expect(isUpgradeFor(request('/ws', host), '/ws')).toBe(false);
    for (const path of ['/a/../ws', '/./ws', '/w s', '/ws/'])
      expect(isUpgradeFor(request(`${path}?q`), path)).toBe(false);
  });
});
