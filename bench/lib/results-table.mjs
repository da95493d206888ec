/**
 * Renders result rows as an aligned text table (terminal) or a Markdown table.
 * Ratios are forum-chat / baseline; a missing value prints as `–`.
 */

const HEADERS = ['scen.', 'metric', 'baseline', 'forum-chat', 'ratio', 'target', 'met'];

/** @param {import('../scenarios/scenario.mjs').Row} r */
function cells(r) {
  const fmt = (v) => (v === undefined || v === null || Number.isNaN(v) ? '–' : v.toLocaleString('en', { minimumFractionDigits: r.digits ?? 0, maximumFractionDigits: r.digits ?? 0 }));
  const ratio = r.ratio && r.baseline && r.forum !== undefined && Number.isFinite(r.forum / r.baseline) ? `${(r.forum / r.baseline).toFixed(2)}×` : '';
  const met = r.met === undefined ? (r.target ? '?' : '') : r.met ? 'yes' : 'NO';
  return [r.scenario, r.metric, fmt(r.baseline), fmt(r.forum), ratio, r.target ?? '', met];
}

/**
 * @param {import('../scenarios/scenario.mjs').Row[]} rows
 * @returns {string}
 */
export function textTable(rows) {
  const body = rows.map(cells);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...body.map((c) => c[i].length)));
  const line = (c) => c.map((v, i) => (i >= 2 && i <= 4 ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ');
  return [line(HEADERS), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

/**
 * @param {import('../scenarios/scenario.mjs').Row[]} rows
 * @returns {string}
 */
export function markdownTable(rows) {
  const head = `| ${HEADERS.join(' | ')} |\n|${HEADERS.map((_, i) => (i >= 2 && i <= 4 ? '---:' : '---')).join('|')}|`;
  return [head, ...rows.map((r) => `| ${cells(r).join(' | ')} |`)].join('\n');
}
