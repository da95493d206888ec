import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPOSITORY_ROOT as ROOT } from '../support/documents.js';

/** Every non-spec TypeScript file under `src/`, by path. */
function sources(): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(join(ROOT, 'src'), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.includes('.spec.')) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(path, readFileSync(path, 'utf8'));
  }
  return files;
}

/** DEVELOPERS.md's walk through the code, from its heading to the next one of its level. */
function pathSection(): string {
  const text = readFileSync(join(ROOT, 'DEVELOPERS.md'), 'utf8');
  const start = text.indexOf('## The path of one');
  expect(start, 'DEVELOPERS.md has "The path of one …"').toBeGreaterThan(-1);
  const end = text.indexOf('\n## ', start + 3);
  return text.slice(start, end < 0 ? undefined : end);
}

describe('DEVELOPERS.md, the path of one chat_message', () => {
  it('names functions and Class.members that exist in src/', () => {
    const files = [...sources().values()];
    const missing: string[] = [];
    for (const [, owner, member] of pathSection().matchAll(/`([A-Za-z_]\w*)(?:\.(\w+))?`/g)) {
      if (member === undefined) {
        // a bare lower-case name is one of ours (a function, a method, a constant)
        if (/^[a-z]/.test(owner) && !files.some((text) => new RegExp(`\\b${owner}\\b`).test(text))) missing.push(owner);
        continue;
      }
      if (!/^[A-Z]/.test(owner)) continue; // an event name such as `chat.mention`
      const declared = new RegExp(`\\b(class|interface|function|const)\\s+${owner}\\b`);
      const defined = new RegExp(`^\\s*(?:(?:private|protected|public|static|readonly|async|override|get)\\s+)*${member}\\b\\s*[(<=:?]|\\b${member}\\s*[:=(]`, 'm');
      if (!files.some((text) => declared.test(text) && defined.test(text))) missing.push(`${owner}.${member}`);
    }
    expect(missing).toEqual([]);
  });
});
