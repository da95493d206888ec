import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  exports: Record<string, string | { types: string }>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
};

/** The `.d.ts` entry points of the package's exports. */
const typeEntries = Object.values(manifest.exports).flatMap((entry) =>
  typeof entry === 'string' ? [] : [entry.types],
);

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`). */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Every `.d.ts` reachable from the package's public entry points, and the packages they name. */
function publicDeclarations(): { files: string[]; packages: Map<string, string> } {
  const entries = typeEntries.map((types) => join(ROOT, types));
  const seen = new Set<string>();
  const packages = new Map<string, string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
    for (const [, specifier] of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^import\s+)['"]([^'"]+)['"]/gm)) {
      if (specifier.startsWith('.')) queue.push(resolve(dirname(file), specifier.replace(/\.js$/, '.d.ts')));
      else packages.set(packageOf(specifier), file.slice(ROOT.length + 1));
    }
  }
  return { files: [...seen], packages };
}

describe('public type declarations (build first: npm run build)', () => {
  it('exist for every entry point', () => {
    expect(typeEntries.length).toBeGreaterThanOrEqual(3);
    for (const types of typeEntries) expect(existsSync(join(ROOT, types))).toBe(true);
  });

  it('name only packages a host has: required peers, dependencies, Node built-ins', () => {
    const { packages } = publicDeclarations();
    const optional = new Set(Object.keys(manifest.peerDependenciesMeta ?? {}));
    const resolvable = new Set([
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}).filter((name) => !optional.has(name)),
    ]);
    const unresolvable = [...packages]
      .filter(([name]) => !resolvable.has(name) && !builtinModules.includes(name.replace(/^node:/, '')))
      .map(([name, file]) => `${name} (from ${file})`);
    // the testing entry point names its own optional peer, @nestjs/testing, which its users install
    expect(unresolvable.filter((entry) => !entry.startsWith('@nestjs/testing '))).toEqual([]);
  });
});
