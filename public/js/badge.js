import { h } from './dom.js';

/**
 * Shows an unread entry (`{ count, mentions, more }`, or undefined: none) on the `[data-unread]`
 * badge inside `button`: the count (99+ beyond the server's cap), marked when some mention the
 * user, with the words screen readers need.
 */
export function renderBadge(button, unread) {
  const badge = button.querySelector('[data-unread]');
  const count = unread?.count ?? 0;
  badge.hidden = count === 0;
  badge.classList.toggle('mention', (unread?.mentions ?? 0) > 0);
  const mentions = unread?.mentions ? `, ${unread.mentions} mentioning you` : '';
  const shown = count > 99 || unread?.more ? '99+' : String(count);
  badge.replaceChildren(shown, h('span', { class: 'visually-hidden', text: ` unread${mentions}` }));
}
