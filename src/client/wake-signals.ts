/**
 * A source of "the network may be back" hints. Called once with `onWake`; calls it whenever
 * a reconnect attempt is worth making now instead of at the end of the backoff delay.
 * Returns a function that stops listening.
 */
export type WakeSignals = (onWake: () => void) => () => void;

interface EventSourceLike {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

interface DocumentLike extends EventSourceLike {
  visibilityState?: string;
}

/**
 * The browser's hints: the window's `online` event, and the document becoming visible again
 * (a tab brought back, a phone unlocked). Null where there is no window and document (Node).
 */
export function browserWakeSignals(
  win: EventSourceLike | undefined = (globalThis as { window?: EventSourceLike }).window,
  doc: DocumentLike | undefined = (globalThis as { document?: DocumentLike }).document,
): WakeSignals | null {
  if (!win?.addEventListener || !doc?.addEventListener) return null;
  return (onWake) => {
    const onVisible = () => {
      if (doc.visibilityState === 'visible') onWake();
    };
    win.addEventListener('online', onWake);
    doc.addEventListener('visibilitychange', onVisible);
    return () => {
      win.removeEventListener('online', onWake);
      doc.removeEventListener('visibilitychange', onVisible);
    };
  };
}
