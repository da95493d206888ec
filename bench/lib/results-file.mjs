import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { markdownTable } from './results-table.mjs';

/** Heading of the hand-written section that survives re-runs. */
const KEPT = '## Analysis';

/**
 * Writes `bench/RESULTS.md`: date, machine, command and settings, the table,
 * the per-run notes and errors. A `## Analysis` section already in the file is
 * kept at the end, so the written explanation of the figures outlives re-runs.
 * @param {string} path
 * @param {{ date: Date, machine: string, command: string, settings: string, scenarios: string[],
 *   rows: import('../scenarios/scenario.mjs').Row[], notes: string[], errors: string[], seconds: number }} run
 */
export function writeResults(path, run) {
  const kept = existsSync(path) ? readFileSync(path, 'utf8').split(`\n${KEPT}\n`)[1] : undefined;
  const text = [
    '# forum-chat benchmark results',
    '',
    `- date: ${run.date.toISOString()}`,
    `- machine: ${run.machine}`,
    `- command: \`${run.command}\``,
    `- settings: ${run.settings}`,
    `- total run time: ${run.seconds.toFixed(0)} s`,
    '',
    'Both servers run one after the other on the same machine in the same run, each as a',
    'fresh child process; the load generator shares the machine (see "generator CPU %" and the',
    'notes). Ratios are forum-chat / baseline. What the scenarios do: `bench/README.md`.',
    '',
    '## Scenarios',
    '',
    ...run.scenarios.map((s) => `- ${s}`),
    '',
    '## Figures',
    '',
    markdownTable(run.rows),
    '',
    '## Run notes',
    '',
    ...run.notes.map((n) => `- ${n}`),
    ...(run.errors.length ? ['', '## Errors', '', ...run.errors.map((e) => `- ${e}`)] : []),
    '',
    ...(kept !== undefined ? [KEPT, kept.trimEnd(), ''] : []),
  ].join('\n');
  writeFileSync(path, text);
}
