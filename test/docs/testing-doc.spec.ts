import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('docs/testing.md', () => {
  it('shows the example host and its test exactly as they run in CI', () => {
    const doc = read('docs/testing.md');
    for (const file of ['test/testing/example/forum.module.ts', 'test/testing/example/banning.spec.ts'])
      expect(doc, file).toContain('```ts\n' + read(file) + '```');
  });
});
