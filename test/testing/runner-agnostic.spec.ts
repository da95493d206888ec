import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const kitDir = fileURLToPath(new URL('../../src/testing/', import.meta.url));

describe('forum-chat/testing assumes no test runner', () => {
  it('imports nothing of Vitest or Jest', () => {
    const sources = readdirSync(kitDir).filter((name) => name.endsWith('.ts') && !name.endsWith('.spec.ts'));
    expect(sources.length).toBeGreaterThan(5);
    for (const name of sources) {
      const imports = [...readFileSync(kitDir + name, 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      expect(
        imports.filter((from) => /^(vitest|jest|@jest\/|@vitest\/)/.test(from)),
        name,
      ).toEqual([]);
    }
  });

  it('runs under node:test from the built package (forum-chat/testing)', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--test', '--test-reporter=tap', 'test/testing/node-test/kit.test.mjs'],
      { cwd: root, timeout: 60_000 },
    );
    expect(stdout).toMatch(/^# pass 2$/m);
    expect(stdout).toMatch(/^# fail 0$/m);
  });
});
