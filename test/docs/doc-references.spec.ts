import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCUMENTS, REPOSITORY_ROOT as ROOT } from '../support/documents.js';


/** Paths a build creates (ignored by git): a document may name them without their existing in a clone. */
const BUILT = /^(dist|public\/lib|data|test-artifacts|bench\/out)(\/|$)/;

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** The text outside fenced code blocks (links and code spans in prose). */
const prose = (text: string) => text.replace(/^```[\s\S]*?^```/gm, '');

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N} -]/gu, '')
    .replace(/ /g, '-');
}

function anchorsOf(file: string): Set<string> {
  const headings = [...prose(read(file)).matchAll(/^#{1,6} (.+)$/gm)].map((match) => anchorOf(match[1]));
  return new Set(headings);
}

describe('references in README.md and docs/*.md', () => {
  it('every relative link resolves to a file of the repository, and its #anchor to a heading there', () => {
    const dangling: string[] = [];
    for (const document of DOCUMENTS) {
      for (const [, target] of prose(read(document)).matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target)) continue;
        const [path, anchor] = target.split('#');
        const file = path === '' ? document : relative(ROOT, resolve(ROOT, dirname(document), path));
        if (!existsSync(join(ROOT, file))) dangling.push(`${document}: ${target} (no ${file})`);
        else if (anchor !== undefined && file.endsWith('.md') && !anchorsOf(file).has(anchor))
          dangling.push(`${document}: ${target} (no heading #${anchor} in ${file})`);
      }
    }
    expect(dangling).toEqual([]);
  });

  it('every repository path named in prose (`src/…`, `test/…`, `docs/…`, `bench/…`, a root file) exists', () => {
    const dangling: string[] = [];
    for (const document of DOCUMENTS) {
      for (const [, span] of prose(read(document)).matchAll(/`([^`\s]+)`/g)) {
        const path = span.replace(/[.,:;]$/, '');
        const named =
          /^(src|test|docs|bench|public|\.ci)\/[\w.\/-]*$/.test(path) || /^[A-Z]+\.md$|^package\.json$/.test(path);
        if (!named || BUILT.test(path)) continue;
        if (!existsSync(join(ROOT, path))) dangling.push(`${document}: \`${span}\``);
      }
    }
    expect(dangling).toEqual([]);
  });

  it('the folders and files the README\'s "How it is built" tree names exist', () => {
    const section = /## How it is built\n+```\n([\s\S]*?)```/.exec(read('README.md'));
    expect(section, 'README.md has a "How it is built" tree').not.toBeNull();
    const parents: string[] = [];
    const named: string[] = [];
    for (const line of section![1].split('\n')) {
      const match = /^( *)(\S+(?:, \S+)*)(?: {2,}|$)/.exec(line);
      if (!match) continue;
      const depth = match[1].length / 2;
      const names = match[2].split(', ');
      if (!Number.isInteger(depth) || !names.every((name) => /^[\w.-]+(\/|\.\w+)$/.test(name))) continue;
      parents.length = depth;
      for (const name of names) named.push([...parents, name].join(''));
      if (names.length === 1 && names[0].endsWith('/')) parents[depth] = names[0];
    }
    expect(named).toContain('src/chat/transport/');
    expect(named.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
  });
});
