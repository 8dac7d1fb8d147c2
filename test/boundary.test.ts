/**
 * The import boundaries of the codebase, read from every file's imports with TypeScript's own
 * parser (static and dynamic imports, `import type`, re-exports): what README's ARCHITECTURE
 * section draws. As vercel/chat's adapter-slack `webhook/boundary.test.ts` does for its webhook
 * code. A failure lists each offending import as `file -> what it imports`.
 *
 * - src/ is platform-neutral: no platform SDK (@slack/*, discord.js, @discordjs/*), nothing from
 *   adapters/ or bin/.
 * - The shared lower layers (src/store, src/retrieval, src/knowledge, src/csv) import no domain
 *   folder and not the engine: they serve the features, not the other way round.
 * - src/engine is a generic dispatcher: it imports no domain folder (src/bot.ts, the routing table,
 *   is the one module that knows them all).
 * - Adapters reach the core only through src/core.ts, its public surface.
 *
 * Not a rule: domains reading each other's models. src/analysis combines the checklist's answers
 * and the provider directory by design (the gap view), and src/guides and src/analysis use the
 * answering assistant's search; a "no domain imports another" rule would have to list them all.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/config.js';

/** The domain folders: one feature each (model, repository, flows, replies, admin views). */
const DOMAINS = ['admin', 'analysis', 'answering', 'checklist', 'guides', 'providers'];
const PLATFORM_SDKS = /^(@slack\/|discord\.js$|@discordjs\/)/;

/** Repository paths of the .ts files under a folder, with forward slashes. */
function files(dir: string): string[] {
  return readdirSync(join(PROJECT_ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => relative(PROJECT_ROOT, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();
}

interface Import {
  /** The importing file, as a repository path. */
  from: string;
  /** A repository path (.ts) for a relative import, else the package name as written. */
  to: string;
  relative: boolean;
}

/** Every module specifier of a file: import and export declarations, `import x = require()`, `import()`. */
function specifiersOf(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(join(PROJECT_ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const specs: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) specs.push(node.moduleSpecifier.text);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) specs.push(node.moduleReference.expression.text);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])) specs.push(node.arguments[0].text);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) specs.push(node.argument.literal.text);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specs;
}

function importsOf(file: string): Import[] {
  return specifiersOf(file).map((spec) => {
    if (!spec.startsWith('.')) return { from: file, to: spec, relative: false };
    const target = relative(PROJECT_ROOT, resolve(PROJECT_ROOT, dirname(file), spec)).split('\\').join('/').replace(/\.js$/, '.ts');
    return { from: file, to: target, relative: true };
  });
}

const imports = [...files('src'), ...files('adapters')].flatMap(importsOf);
const inFolder = (path: string, ...folders: string[]): boolean => folders.some((f) => path.startsWith(`src/${f}/`));
const edge = (i: Import): string => `${i.from} -> ${i.to}`;

describe('import boundaries', () => {
  it('reads the imports it checks (a parser that saw nothing would pass every rule)', () => {
    expect(imports.some((i) => i.from === 'src/bot.ts' && i.to === 'src/checklist/flow.ts')).toBe(true);
    expect(imports.some((i) => i.from === 'adapters/slack/index.ts' && i.to === '@slack/bolt')).toBe(true);
    expect(imports.some((i) => i.from === 'src/core.ts' && i.to === 'src/engine/types.ts')).toBe(true);
  });

  it('keeps src/ free of platform SDKs, adapters and composition roots', () => {
    const bad = imports.filter((i) => i.from.startsWith('src/') && (i.relative ? !i.to.startsWith('src/') : PLATFORM_SDKS.test(i.to)));
    expect(bad.map(edge)).toEqual([]);
  });

  it('keeps the shared layers (store, retrieval, knowledge, csv) below the domains and the engine', () => {
    const bad = imports.filter((i) => i.relative && inFolder(i.from, 'store', 'retrieval', 'knowledge', 'csv') && inFolder(i.to, ...DOMAINS, 'engine'));
    expect(bad.map(edge)).toEqual([]);
  });

  it('keeps the engine generic: it imports no domain folder', () => {
    const bad = imports.filter((i) => i.relative && inFolder(i.from, 'engine') && inFolder(i.to, ...DOMAINS));
    expect(bad.map(edge)).toEqual([]);
  });

  it('lets adapters reach the core only through src/core.ts', () => {
    const bad = imports.filter((i) => i.from.startsWith('adapters/') && i.relative && !i.to.startsWith('adapters/') && i.to !== 'src/core.ts');
    expect(bad.map(edge)).toEqual([]);
  });
});
