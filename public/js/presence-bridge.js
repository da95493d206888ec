/** Online pages the page reads after a (re)connection or an overflow: the list shows at most 5 × 100 users. */
export const ONLINE_PAGES_SHOWN = 5;

/**
 * Presence over `presence_changes` (`/ws?caps=presence_changes`): the first `online_page`
 * arrives on connect, further pages are asked for while there are more (up to
 * ONLINE_PAGES_SHOWN), and each tick's `presence` frame is applied. The typed client keeps
 * who is online (`client.online`: the users read and every change since, and the server's
 * exact count); the state copies it after every presence frame. A `presence` frame with
 * `overflow` lists nobody, so the pages and the conversation list (with its online flags)
 * are read again. The seed frames (`online_users`, `user_joined`, `user_left`) are applied
 * the same way, should a server without the capability answer.
 */
export function bridgePresence({ client, state, intents }) {
  let pagesRead = 0;
  // the conversation list holds only the users one wrote with: someone coming online changes nothing there
  const copy = (joinedIds, leftIds) => state.setOnlineFrom(client.online, joinedIds, leftIds);
  client.on('open', () => (pagesRead = 0));
  client.on('online_users', () => copy([], []));
  client.on('user_joined', (f) => copy([f.user_id], []));
  client.on('user_left', (f) => copy([], [f.user_id]));
  client.on('online_page', (page) => {
    pagesRead += 1;
    const last = page.users.at(-1);
    if (page.has_more && last && pagesRead < ONLINE_PAGES_SHOWN) client.requestOnlinePage(last.id);
    copy([], []);
  });
  client.on('presence', (frame) => {
    copy(
      frame.joined.map((u) => u.id),
      frame.left.map((u) => u.id),
    );
    if (!frame.overflow) return;
    pagesRead = 0;
    client.requestOnlinePage();
    void intents.refreshConversations();
  });
}
