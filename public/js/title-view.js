/** The tab title: "(3) Forum chat" while 3 messages are unread, "Forum chat" otherwise. */
export function attachTitle({ state, base = document.title }) {
  state.subscribe((change) => {
    if (change.kind !== 'unread') return;
    const total = state.unreadTotal;
    document.title = total > 0 ? `(${total > 99 ? '99+' : total}) ${base}` : base;
  });
}
