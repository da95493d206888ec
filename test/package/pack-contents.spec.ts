import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

describe('npm pack (build first: npm run build)', () => {
  it('ships the built chat, client, drivers and testing kit with the docs, and no source, test or bench file', () => {
    const [pack] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' }),
    ) as Array<{ files: Array<{ path: string }> }>;
    const paths = pack.files.map((file) => file.path);
    expect(paths.filter((path) => /^(src|test|bench|public|data)\//.test(path))).toEqual([]);
    expect(paths.filter((path) => /\.(spec\.(js|d\.ts)|map|tsbuildinfo)$/.test(path))).toEqual([]);
    expect(
      paths.filter((path) => /^dist\/(forum|config|health|http|logging|main|create-app|app\.module)/.test(path)),
    ).toEqual([]);
    for (const entry of [
      'dist/chat/index.js',
      'dist/chat/index.d.ts',
      'dist/client/index.js',
      'dist/testing/index.js',
      'README.md',
      'docs/protocol.md',
      'package.json',
    ]) {
      expect(paths).toContain(entry);
    }
  });
});
