import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

/** Every non-spec `.ts` file under `folder`, relative to `src/`. */
function sourcesUnder(folder: string): string[] {
  return readdirSync(join(SRC, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'))
    .map((file) => join(folder, file));
}

/** The files under `src/` that `file` imports, relative to `src/` (packages left out). */
function localImports(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)].map((match) => match[1]);
  return specifiers.map((specifier) => relative(SRC, resolve(SRC, dirname(file), specifier)).replace(/\.js$/, '.ts'));
}

/** The standalone server's own folders and files: the chat must not need any of them. */
const APP_PARTS =
  /^(config|forum|health|http|logging|metrics)\/|^(app\.module|create-app|main|forum-chat\.bridge)\.ts$/;

describe('module boundaries', () => {
  it("src/chat and src/drivers import nothing of the standalone server's folders", () => {
    const offending = [...sourcesUnder('chat'), ...sourcesUnder('drivers')].flatMap((file) =>
      localImports(file)
        .filter((target) => APP_PARTS.test(target))
        .map((target) => `${file} → ${target}`),
    );
    expect(offending).toEqual([]);
  });

  it('src/drivers imports nothing of src/chat (a neutral folder)', () => {
    const offending = sourcesUnder('drivers').flatMap((file) =>
      localImports(file)
        .filter((target) => !target.startsWith('drivers/'))
        .map((target) => `${file} → ${target}`),
    );
    expect(offending).toEqual([]);
  });

  it('the stand-in forum, health, HTTP and the server use the chat only through src/chat/index.ts', () => {
    const appFiles = [
      ...sourcesUnder('config'),
      ...sourcesUnder('forum'),
      ...sourcesUnder('health'),
      ...sourcesUnder('http'),
      ...sourcesUnder('metrics'),
      'app.module.ts',
      'create-app.ts',
      'main.ts',
      'forum-chat.bridge.ts',
    ];
    const offending = appFiles.flatMap((file) =>
      localImports(file)
        .filter((target) => target.startsWith('chat/') && target !== 'chat/index.ts')
        .map((target) => `${file} → ${target}`),
    );
    expect(offending).toEqual([]);
  });
});
