import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { CHAT_DEFAULTS, parseRateLimit } from '../../src/chat/index.js';
import { CHAT_VARIABLES } from '../../src/config/chat-environment.js';

const ROOT = resolve(import.meta.dirname, '../..');
const OPTIONS_FILE = resolve(ROOT, 'src/chat/chat.options.ts');

/** The members of `ChatModuleOptions`, as declared. */
function declaredOptions(): string[] {
  const source = ts.createSourceFile(OPTIONS_FILE, readFileSync(OPTIONS_FILE, 'utf8'), ts.ScriptTarget.Latest);
  const declaration = source.statements.find(
    (statement): statement is ts.InterfaceDeclaration =>
      ts.isInterfaceDeclaration(statement) && statement.name.text === 'ChatModuleOptions',
  );
  expect(declaration, 'ChatModuleOptions in chat.options.ts').toBeDefined();
  return declaration!.members.map((member) => (member.name as ts.Identifier).text);
}

/** The rows of the options table of docs/embedding.md: option → { default, variable } as written. */
function documentedOptions(): Map<string, { defaultCell: string; variableCell: string }> {
  const doc = readFileSync(resolve(ROOT, 'docs/embedding.md'), 'utf8');
  const table = /\| option \| default \| standalone variable \| meaning \|\n\|[-|]+\|\n((?:\|.*\|\n)+)/.exec(doc);
  expect(table, 'the options table of docs/embedding.md').not.toBeNull();
  const rows = new Map<string, { defaultCell: string; variableCell: string }>();
  for (const line of table![1].trim().split('\n')) {
    const [option, defaultCell, variableCell] = line.split(' | ').map((cell) => cell.replace(/^\| ?/, '').trim());
    rows.set(option.replace(/`/g, ''), { defaultCell, variableCell });
  }
  return rows;
}

describe('the options table of docs/embedding.md', () => {
  const declared = declaredOptions();
  const documented = documentedOptions();

  it('lists every forRoot/forRootAsync option of ChatModuleOptions, and no other', () => {
    expect([...documented.keys()].sort()).toEqual([...declared].sort());
  });

  it("states each option's default as CHAT_DEFAULTS has it", () => {
    for (const [option, value] of Object.entries(CHAT_DEFAULTS)) {
      const cell = documented.get(option)?.defaultCell ?? '';
      const written = /^`([^`]+)`$/.exec(cell)?.[1];
      expect({ option, written: typeof value === 'object' ? parseRateLimit(written ?? '') : written }).toEqual({
        option,
        written: typeof value === 'object' ? value : String(value),
      });
    }
  });

  it("names each option's environment variable of the standalone server, and none for the others", () => {
    for (const option of declared) {
      const variable = (CHAT_VARIABLES as Record<string, string>)[option];
      expect({ option, cell: documented.get(option)?.variableCell }).toEqual({
        option,
        cell: variable === undefined ? '—' : `\`${variable}\``,
      });
    }
  });
});
