import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify, stripVTControlCharacters } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
/** Inside the repository (so the example finds its other packages here) but in no test folder. */
const scratch = join(root, 'test-artifacts', `packed-example-${process.pid}`);

/** A host's test folder: the example files, and forum-chat installed from the tarball `npm pack` made. */
async function installPackedPackage(): Promise<void> {
  mkdirSync(join(scratch, 'node_modules', 'forum-chat'), { recursive: true });
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], {
    cwd: root,
  });
  const [{ filename }] = JSON.parse(stdout) as Array<{ filename: string }>;
  await run('tar', [
    '-xzf',
    join(scratch, filename),
    '-C',
    join(scratch, 'node_modules', 'forum-chat'),
    '--strip-components=1',
  ]);
  cpSync(join(root, 'test', 'testing', 'example'), scratch, { recursive: true });
  // its own package scope: `forum-chat` must come from node_modules, not from the repository's own name
  writeFileSync(
    join(scratch, 'package.json'),
    JSON.stringify({ name: 'example-forum', private: true, type: 'module' }),
  );
  writeFileSync(join(scratch, 'where.mjs'), "console.log(import.meta.resolve('forum-chat/testing'));\n");
  writeFileSync(join(scratch, 'vitest.config.mjs'), "export default { test: { include: ['*.spec.ts'] } };\n");
  writeFileSync(
    join(scratch, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { experimentalDecorators: true, emitDecoratorMetadata: true, module: 'nodenext' },
    }),
  );
}

describe('the docs/testing.md example, run from the packed package (build first: npm run build)', () => {
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('passes with forum-chat and forum-chat/testing installed from the tarball', async () => {
    await installPackedPackage();
    const where = await run(process.execPath, ['where.mjs'], { cwd: scratch });
    expect(where.stdout.trim()).toBe(
      `file://${join(scratch, 'node_modules', 'forum-chat', 'dist', 'testing', 'index.js')}`,
    );
    const { stdout } = await run(
      process.execPath,
      [
        join(root, 'node_modules', 'vitest', 'vitest.mjs'),
        'run',
        '--root',
        scratch,
        '--config',
        join(scratch, 'vitest.config.mjs'),
      ],
      { cwd: scratch, timeout: 120_000 },
    );
    expect(stripVTControlCharacters(stdout)).toMatch(/Tests\s+2 passed \(2\)/);
  }, 180_000);
});
