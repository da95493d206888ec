/** The tab title: "(3) Forum chat" while 3 messages are unread, "Forum chat" otherwise. */
export function attachTitle({ state, base = document.title }) {
  state.subscribe((change) => {
    if (change.kind !== 'unread') return;
    const { count, more } = state.unread.total();
    document.title = count > 0 ? `(${count > 99 || more ? '99+' : count}) ${base}` : base;
  });
}
