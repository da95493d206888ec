/** At or below this width the sidebar is a drawer (matches the stylesheet). */
const PHONE_QUERY = '(max-width: 799px)';

/**
 * On a narrow screen the sidebar is a drawer: the menu button opens it (focus moves in),
 * Escape, the backdrop or choosing a conversation closes it (focus returns). Closed, it is
 * `inert`, so neither a pointer nor the keyboard reaches what is off-screen.
 */
export function attachDrawer({ state, root, toggle, close, drawer, backdrop, unreadBadge }) {
  const phone = window.matchMedia(PHONE_QUERY);
  let open = false;

  function render() {
    const closed = phone.matches && !open;
    root.classList.toggle('drawer-open', phone.matches && open);
    toggle.setAttribute('aria-expanded', String(phone.matches && open));
    drawer.inert = closed;
    backdrop.hidden = !(phone.matches && open);
  }

  function setOpen(next, { focus = true } = {}) {
    if (next === open) return;
    open = next;
    render();
    if (!focus || !phone.matches) return;
    if (open) (drawer.querySelector('.entry[aria-current="true"]') ?? close).focus();
    else toggle.focus();
  }

  toggle.addEventListener('click', () => setOpen(!open));
  backdrop.addEventListener('click', () => setOpen(false));
  close.addEventListener('click', () => setOpen(false));
  drawer.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') setOpen(false);
  });
  phone.addEventListener('change', render);
  state.subscribe((change) => {
    if (change.kind === 'open') setOpen(false, { focus: false });
    if (change.kind === 'unread') renderUnread();
  });

  /** Unread messages elsewhere show on the menu button, since the drawer hides their badges. */
  function renderUnread() {
    const { count: elsewhere, more } = state.unread.total(state.current);
    unreadBadge.hidden = elsewhere === 0;
    unreadBadge.textContent = elsewhere > 99 || more ? '99+' : String(elsewhere);
    toggle.setAttribute('aria-label', elsewhere ? `Rooms and people, ${elsewhere} unread` : 'Rooms and people');
  }
  render();
}
