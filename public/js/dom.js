/**
 * Creates an element. Text is only ever set with `textContent` / text nodes, never parsed
 * as HTML, so user data cannot inject markup. `props`: `class`, `text`, `dataset`,
 * `on<event>` listeners, anything else as an attribute (true → empty attribute).
 */
export function h(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

/** `document.getElementById` that fails loudly when the page and the script disagree. */
export function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} is missing from the page`);
  return node;
}

/** A short local time (`14:05`; the date too when not today), with the full date in the title. */
export function timeElement(iso) {
  const date = new Date(iso);
  const today = date.toDateString() === new Date().toDateString();
  const short = today
    ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
  return h('time', { datetime: iso, title: date.toLocaleString(), text: short });
}
