import { attachScrollBack } from './scroll-back.js';

/**
 * "Load earlier messages" and "This is the beginning of the conversation" for the open
 * conversation, and scroll-back: scrolling up near the top loads the next older page.
 * The button stays focusable while a page loads (`aria-disabled`, never `disabled`), so
 * keyboard focus is never dropped to the page.
 */
export function attachHistoryControls({ state, intents, scroller, button, start }) {
  const conversation = () => state.messages.get(state.current);
  attachScrollBack(scroller, {
    canLoad: () => state.connection.state === 'open' && conversation().hasMore && !conversation().loading,
    load: () => intents.loadOlder(state.current),
  });
  button.addEventListener('click', () => {
    if (button.getAttribute('aria-disabled') !== 'true') void intents.loadOlder(state.current);
  });

  function render() {
    const c = conversation();
    button.hidden = !(c.loaded && c.hasMore);
    button.setAttribute('aria-disabled', String(c.loading));
    button.textContent = c.loading ? 'Loading…' : 'Load earlier messages';
    start.hidden = !(c.loaded && !c.hasMore);
  }
  state.subscribe((change) => {
    if (['open', 'paging', 'history', 'connection'].includes(change.kind)) render();
  });
  render();
}
