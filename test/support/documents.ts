import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository's root folder. */
export const REPOSITORY_ROOT = resolve(import.meta.dirname, '../..');

/** README.md and every Markdown file of docs/, relative to the repository. */
export const DOCUMENTS = [
  'README.md',
  ...readdirSync(join(REPOSITORY_ROOT, 'docs'))
    .filter((file) => file.endsWith('.md'))
    .map((file) => `docs/${file}`),
];
