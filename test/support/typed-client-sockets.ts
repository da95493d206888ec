import { WebSocket } from 'ws';

/**
 * A `WebSocket` class for the typed client (`webSocket` option) that sends the user's
 * cookie and remembers every socket it opened, so a test can cut one.
 */
export function cookieSocket(cookie: string): {
  CookieWebSocket: new (url: string) => WebSocket;
  sockets: WebSocket[];
} {
  const sockets: WebSocket[] = [];
  class CookieWebSocket extends WebSocket {
    constructor(url: string) {
      super(url, { headers: { cookie } });
      sockets.push(this);
    }
  }
  return { CookieWebSocket, sockets };
}

/** Resolves with the first payload of a typed-client event that matches `predicate`, then unsubscribes. */
export function nextEvent<T>(
  subscribe: (listener: (payload: T) => void) => () => void,
  predicate: (payload: T) => boolean = () => true,
): Promise<T> {
  return new Promise((resolve) => {
    const off = subscribe((payload) => {
      if (!predicate(payload)) return;
      off();
      resolve(payload);
    });
  });
}
