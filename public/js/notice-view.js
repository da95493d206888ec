/**
 * A notice the user must not miss (a room the forum took away), announced at once
 * (`role="alert"`) and shown until dismissed; dismissing returns focus to the message box.
 */
export function attachNotice({ state, intents, banner, text, dismiss, input }) {
  dismiss.addEventListener('click', () => {
    intents.dismissNotice();
    if (!input.disabled) input.focus();
  });
  state.subscribe((change) => {
    if (change.kind !== 'notice') return;
    banner.hidden = state.notice === null;
    text.textContent = state.notice?.text ?? '';
  });
}
