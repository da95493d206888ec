/**
 * The part of the WHATWG `WebSocket` interface the client uses. The browser's
 * `WebSocket` and the `ws` package's `WebSocket` both satisfy it, and so can a test
 * double; the client never imports either.
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  // Handler parameters are `any` on purpose: each platform declares its own event
  // classes (`MessageEvent`, `ws.MessageEvent`), and a narrower type here would make
  // them unassignable. The client reads only `data`, `code` and `reason`.
  /* eslint-disable @typescript-eslint/no-explicit-any */
  onopen: ((event: any) => void) | null;
  onmessage: ((event: any) => void) | null;
  onclose: ((event: any) => void) | null;
  onerror: ((event: any) => void) | null;
  /* eslint-enable @typescript-eslint/no-explicit-any */
}

/**
 * A WebSocket constructor taking the URL. In Node with `ws`, credentials go in a
 * subclass: `class extends WebSocket { constructor(url: string) { super(url, { headers }) } }`.
 */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** `readyState` of an open socket (the same in every implementation). */
export const WS_OPEN = 1;
