import { privateKey } from './conversations.js';
import { h } from './dom.js';

/** Typing pauses this long before the search is sent. */
export const SEARCH_DEBOUNCE_MS = 250;

/**
 * "Find people": searches users by nickname prefix as the user types (or on Enter), lists
 * them, pages on with "More people", and opens a private conversation with the one chosen,
 * online or not. Rendered from the state's `search`.
 */
export function attachUserSearch({ state, intents, form, input, status, results, more }) {
  let timer = null;
  const search = () => {
    clearTimeout(timer);
    void intents.searchUsers(input.value);
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(search, SEARCH_DEBOUNCE_MS);
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    search();
  });
  more.addEventListener('click', () => void intents.searchUsers(state.search.prefix, true));

  function render() {
    const { prefix, users, hasMore, status: phase, error } = state.search;
    status.textContent = statusText(phase, prefix, users.length, hasMore, error);
    results.replaceChildren(...users.map((user) => userItem(intents, user, state.online.has(user.id))));
    more.hidden = !(phase === 'done' && hasMore);
  }
  state.subscribe((change) => {
    if (change.kind === 'search' || (change.kind === 'presence' && state.search.users.length)) render();
  });
  render();
}

function statusText(phase, prefix, found, hasMore, error) {
  if (phase === 'loading') return 'Searching…';
  if (phase === 'error') return `Search failed: ${error}`;
  if (phase !== 'done') return '';
  if (found === 0) return `Nobody's nickname starts with “${prefix}”.`;
  return `${found}${hasMore ? '+' : ''} ${found === 1 ? 'person' : 'people'} found. Choose one to write privately.`;
}

/** A user found: online dot and a button opening the private conversation with them. */
function userItem(intents, user, online) {
  return h(
    'li',
    { dataset: { userId: String(user.id) } },
    h(
      'button',
      { type: 'button', class: 'entry', onclick: () => intents.open(privateKey(user.id)) },
      h('span', { class: online ? 'dot online' : 'dot', title: online ? 'online' : 'offline' }),
      h('span', { class: 'entry-name', dir: 'auto', text: user.nickname }),
      h('span', { class: 'visually-hidden', text: online ? ', online' : ', offline' }),
    ),
  );
}
