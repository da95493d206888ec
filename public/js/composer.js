import { codePointLength, MAX_CONTENT_CHARS } from './text.js';

/** From this many code points on, the composer shows how many are left. */
const COUNT_FROM = MAX_CONTENT_CHARS - 200;

/**
 * The message box: Enter sends, Shift+Enter starts a new line, it grows with its text. Text
 * over the limit is never cut: the box says by how much it is too long, and Send refuses it.
 * What is typed and not sent stays with its conversation (back when it is opened again).
 */
export function attachComposer({ state, intents, form, input, counter, sendButton }) {
  const drafts = new Map(); // conversation key → unsent text
  let draftKey = state.current;
  state.subscribe((change) => {
    if (change.kind !== 'open' || change.key === draftKey) return;
    if (input.value) drafts.set(draftKey, input.value);
    else drafts.delete(draftKey);
    draftKey = change.key;
    input.value = drafts.get(draftKey) ?? '';
    autosize();
    renderCount();
  });

  function renderCount() {
    const length = codePointLength(input.value.trim());
    const over = length > MAX_CONTENT_CHARS;
    counter.classList.toggle('over', over);
    sendButton.setAttribute('aria-disabled', String(over));
    input.setAttribute('aria-invalid', String(over));
    if (over) counter.textContent = `${length - MAX_CONTENT_CHARS} characters too long (at most ${MAX_CONTENT_CHARS}).`;
    else counter.textContent = length >= COUNT_FROM ? `${MAX_CONTENT_CHARS - length} characters left.` : '';
  }

  function autosize() {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, 144)}px`;
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const refused = intents.send(input.value);
    if (refused === null) {
      input.value = '';
      autosize();
      renderCount();
    }
    input.focus();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  input.addEventListener('input', () => {
    autosize();
    renderCount();
    intents.typed(input.value);
  });
}
