import { h, timeElement } from './dom.js';
import { tokenize } from './text.js';

/** Messages of one author closer together than this share one header. */
export const GROUP_WINDOW_MS = 5 * 60_000;

const LINK_REL = 'noopener noreferrer nofollow';

/**
 * The text of a message as nodes: plain text, `http(s)` links (new tab, no referrer, no
 * follow) and mentions. Everything comes from `textContent`: nothing is parsed as markup.
 */
export function richContent(content, meNickname) {
  return tokenize(content, meNickname).map((token) => {
    if (token.type === 'link') {
      return h('a', { href: token.href, rel: LINK_REL, target: '_blank', text: token.text });
    }
    if (token.type === 'mention') return h('span', { class: token.me ? 'mention me' : 'mention', text: token.text });
    return document.createTextNode(token.text);
  });
}

/**
 * The list item of a stored message: its content, marked "(edited)" after an edit, or, once
 * deleted, a tombstone that says so (the content is gone).
 */
export function messageItem(message, me) {
  const mine = message.user_id === me.id;
  const classes = ['message'];
  if (mine) classes.push('mine');
  const deleted = Boolean(message.deleted_at);
  const content = deleted ? [] : richContent(message.content, me.nickname);
  if (deleted) classes.push('deleted');
  else if (!mine && mentioned(message, me, content)) classes.push('mentioned');
  return h(
    'li',
    {
      class: classes.join(' '),
      dataset: { id: String(message.id), userId: String(message.user_id), at: message.timestamp },
    },
    h(
      'div',
      { class: 'meta' },
      h('span', { class: 'author', dir: 'auto', text: mine ? 'You' : message.nickname }),
      timeElement(message.timestamp),
      !deleted && message.edited_at ? h('span', { class: 'edited', text: '(edited)' }) : null,
      classes.includes('mentioned') ? h('span', { class: 'visually-hidden', text: 'mentions you' }) : null,
    ),
    deleted
      ? h('p', { class: 'content tombstone', text: 'This message was deleted.' })
      : h('p', { class: 'content', dir: 'auto' }, ...content),
  );
}

/** Whether a message mentions `me`: the server's `mentions` say so, or its text names them. */
function mentioned(message, me, content) {
  return (message.mentions ?? []).includes(me.id) || content.some((n) => n.classList?.contains('me'));
}

/** The list item of a message sent and not yet acknowledged (or refused: `error`). */
export function pendingItem({ clientId, content, error }, me) {
  const status = error ? `Not sent: ${error}` : 'Sending…';
  return h(
    'li',
    { class: error ? 'message mine failed' : 'message mine pending', dataset: { clientId } },
    h('div', { class: 'meta' }, h('span', { class: 'author', text: 'You' }), h('span', { class: 'status', text: status })),
    h('p', { class: 'content', dir: 'auto' }, ...richContent(content, me.nickname)),
  );
}

/** "Today", "Yesterday" or the date, for a day separator. */
export function dayLabel(date, now = new Date()) {
  const day = (d) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const days = Math.round((day(now) - day(date)) / 86_400_000);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  const options = { weekday: 'short', day: 'numeric', month: 'short' };
  if (date.getFullYear() !== now.getFullYear()) options.year = 'numeric';
  return date.toLocaleDateString([], options);
}

/**
 * Re-derives what depends on neighbours: a day separator before the first message of each
 * day, and `continued` on a message that follows one of the same author within GROUP_WINDOW_MS
 * (its header is then only read by screen readers).
 */
export function decorate(list) {
  for (const old of list.querySelectorAll(':scope > li.day')) old.remove();
  let previous = null;
  for (const item of list.querySelectorAll(':scope > li[data-id]')) {
    const at = new Date(item.dataset.at);
    const newDay = !previous || previous.at.toDateString() !== at.toDateString();
    const before = item.previousElementSibling;
    const anchor = before?.classList.contains('unread-line') ? before : item; // the day first, then "New"
    if (newDay) anchor.before(h('li', { class: 'day', text: dayLabel(at) }));
    const continued =
      !newDay && previous.userId === item.dataset.userId && at.getTime() - previous.at.getTime() < GROUP_WINDOW_MS;
    item.classList.toggle('continued', continued);
    item.querySelector('.meta').classList.toggle('visually-hidden', continued);
    previous = { at, userId: item.dataset.userId };
  }
}
