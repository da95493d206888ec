import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { DOCUMENTS, REPOSITORY_ROOT as ROOT } from '../support/documents.js';


/** One name a document imports from the package: `{ name }` from `forum-chat`, `forum-chat/client`, … */
interface DocImport {
  document: string;
  specifier: string;
  name: string;
  typeOnly: boolean;
}

/** Every name the ```ts blocks of `document` import from the package itself. */
function importsOf(document: string): DocImport[] {
  const text = readFileSync(join(ROOT, document), 'utf8');
  const found: DocImport[] = [];
  for (const [, code] of text.matchAll(/^```ts\n([\s\S]*?)^```/gm)) {
    for (const [, all, names, specifier] of code.matchAll(
      /import\s+(type\s+)?\{([^}]*)\}\s+from\s+'(forum-chat(?:\/[\w-]+)?)'/g,
    )) {
      for (const entry of names.split(',').map((part) => part.trim()).filter(Boolean)) {
        const [, type, name] = /^(type\s+)?([\w$]+)/.exec(entry)!;
        found.push({ document, specifier, name, typeOnly: Boolean(all || type) });
      }
    }
  }
  return found;
}

describe('imports from forum-chat in README.md and docs/*.md', () => {
  const imports = DOCUMENTS.flatMap(importsOf);

  it('name only what the built package exports (its package.json "exports", as a host resolves them)', () => {
    expect(existsSync(join(ROOT, 'dist/chat/index.d.ts')), 'run `npm run build` first').toBe(true);
    expect(imports.map((entry) => entry.specifier)).toEqual(
      expect.arrayContaining(['forum-chat', 'forum-chat/client', 'forum-chat/testing']),
    );
    // one import per name under its own alias, in a file of the package itself (self-reference
    // through "exports", as a host's `import … from 'forum-chat'` is resolved)
    const file = join(ROOT, 'test/docs/__documented-imports__.ts');
    const source = imports
      .map(
        ({ specifier, name, typeOnly }, i) =>
          `import { ${typeOnly ? 'type ' : ''}${name} as _${i} } from '${specifier}';`,
      )
      .join('\n');
    const options: ts.CompilerOptions = {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2023,
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      types: ['node'],
    };
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (name, language, ...rest) =>
      name === file ? ts.createSourceFile(name, source, language) : getSourceFile(name, language, ...rest);
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (name) => name === file || fileExists(name);
    const program = ts.createProgram([file], options, host);
    const problems = ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((diagnostic) => {
      const line = diagnostic.start === undefined ? 0 : source.slice(0, diagnostic.start).split('\n').length - 1;
      const { document, specifier, name } = imports[line];
      return `${document}: ${name} from '${specifier}': ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`;
    });
    expect(problems).toEqual([]);
  });
});
