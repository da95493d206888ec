/** Scroll events this long after a wheel, touch, pointer or key gesture count as the user's. */
const GESTURE_MS = 1_000;

const GESTURES = ['wheel', 'touchmove', 'pointerdown'];

/** Keys that scroll a focused list (Tab moves focus; the scroll that follows is not the user's). */
const SCROLL_KEYS = new Set(['ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End', ' ']);

/**
 * Loads older messages when the user scrolls up to near the top (scrolling down, the page
 * moving the view to the bottom, or focus moving into the list never triggers it: only a
 * scroll within GESTURE_MS of a wheel, touch, pointer or scrolling-key gesture on the scroller counts). Throttled: at most one request
 * in flight, none while one is pending, and at least `cooldownMs` between two, however
 * fast the user scrolls. `canLoad()` says whether there is anything older; `load()`
 * returns a promise that settles when the page has been inserted.
 */
export function attachScrollBack(scroller, { canLoad, load, thresholdPx = 80, cooldownMs = 300 }) {
  let pending = false;
  let lastDone = 0;
  let retry = null;
  let lastTop = scroller.scrollTop;
  let gestureAt = -Infinity;
  for (const type of GESTURES) {
    scroller.addEventListener(type, () => (gestureAt = Date.now()), { passive: true });
  }
  scroller.addEventListener('keydown', (event) => {
    if (SCROLL_KEYS.has(event.key)) gestureAt = Date.now();
  });

  async function maybeLoad() {
    if (pending || scroller.scrollTop > thresholdPx || !canLoad()) return;
    const wait = lastDone + cooldownMs - Date.now();
    if (wait > 0) {
      if (!retry) retry = setTimeout(() => ((retry = null), maybeLoad()), wait);
      return;
    }
    pending = true;
    try {
      await load();
    } catch (error) {
      console.warn('could not load older messages', error);
    } finally {
      pending = false;
      lastDone = Date.now();
    }
  }

  scroller.addEventListener(
    'scroll',
    () => {
      const up = scroller.scrollTop < lastTop;
      lastTop = scroller.scrollTop;
      if (up && Date.now() - gestureAt < GESTURE_MS) void maybeLoad();
    },
    { passive: true },
  );
  return {
    /** Checks now (after the content changed, or from a button). */
    check: () => maybeLoad(),
    /** True while a request is out. */
    get pending() {
      return pending;
    },
  };
}
