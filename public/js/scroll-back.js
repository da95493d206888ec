/**
 * Loads older messages when the user scrolls up to near the top (scrolling down, or the
 * page moving the view to the bottom, never triggers it). Throttled: at most one request
 * in flight, none while one is pending, and at least `cooldownMs` between two, however
 * fast the user scrolls. `canLoad()` says whether there is anything older; `load()`
 * returns a promise that settles when the page has been inserted.
 */
export function attachScrollBack(scroller, { canLoad, load, thresholdPx = 80, cooldownMs = 300 }) {
  let pending = false;
  let lastDone = 0;
  let retry = null;
  let lastTop = scroller.scrollTop;

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
      if (up) void maybeLoad();
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
