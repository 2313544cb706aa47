import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../../src/', import.meta.url).pathname;

/** Which top-level modules each may import (DESIGN.md §1: imports point down only). */
const ALLOWED: Record<string, string[]> = {
  util: [],
  events: [],
  fields: ['util'],
  db: ['util'],
  capture: ['events', 'util'],
  linker: ['events', 'util'],
  lineage: ['db', 'util'],
  queries: ['util'],
  format: ['fields', 'lineage', 'db', 'util'],
  importer: ['capture', 'linker', 'db', 'events', 'util'],
  rules: ['fields', 'db', 'format', 'util'],
  chains: ['rules', 'fields', 'db', 'util'],
  report: ['lineage', 'db', 'format', 'rules', 'util'],
  tui: ['lineage', 'db', 'format', 'fields', 'queries', 'rules', 'chains', 'report', 'util'],
  'bin.ts': ['cli'],
  'version.ts': [],
  cli: ['capture', 'chains', 'db', 'events', 'fields', 'format', 'importer', 'lineage', 'linker', 'queries', 'report', 'rules', 'tui', 'util'],
};
const UI_PACKAGES = /^(ink|react|ink-[\w-]+)(\/|$)/;
const CLI_PACKAGES = /^(commander|@commander-js\/extra-typings)(\/|$)/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : /\.(ts|tsx|mjs)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

function topModule(file: string): string {
  return relative(SRC, file).split('/')[0] ?? '';
}

/** The source file a relative specifier names (`./x.js` is `./x.ts` or `./x.tsx` before compiling). */
function resolveSource(from: string, spec: string): string {
  const target = resolve(dirname(from), spec);
  const candidates = [target, target.replace(/\.js$/, '.ts'), target.replace(/\.js$/, '.tsx')];
  return candidates.find((c) => existsSync(c)) ?? target;
}

/** Groups of files that import each other, directly or through others (Tarjan's strongly connected components). */
function importCircles(edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const group: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      group.push(w);
    } while (w !== v);
    if (group.length > 1 || edges.get(v)?.has(v)) circles.push(group.sort());
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return circles;
}

describe('module layering', () => {
  const violations: string[] = [];
  const edges = new Map<string, Set<string>>();
  for (const file of sourceFiles(SRC)) {
    const imports = new Set<string>();
    edges.set(relative(SRC, file), imports);
    const from = topModule(file);
    if (ALLOWED[from] === undefined) violations.push(`${from}: not a known module`);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
      const spec = m[1] ?? '';
      const where = relative(SRC, file);
      if (spec.startsWith('.')) {
        imports.add(relative(SRC, resolveSource(file, spec)));
        const to = topModule(resolve(dirname(file), spec)).replace(/\.js$/, '.ts');
        if (to !== from && to !== 'version.ts' && !(ALLOWED[from] ?? []).includes(to)) violations.push(`${where} imports ${to} (${spec})`);
      } else if (UI_PACKAGES.test(spec) && from !== 'tui') {
        violations.push(`${where} imports ${spec}: only tui may`);
      } else if (CLI_PACKAGES.test(spec) && from !== 'cli') {
        violations.push(`${where} imports ${spec}: only cli may`);
      }
    }
  }

  it('imports only point down, ink/react stay in tui and commander in cli', () => {
    expect(violations).toEqual([]);
  });

  it('no two files import each other, directly or in a circle (type imports count)', () => {
    expect(importCircles(edges)).toEqual([]);
  });

  it('the circle check finds circles', () => {
    const graph = new Map([
      ['a.ts', new Set(['b.ts'])],
      ['b.ts', new Set(['c.ts'])],
      ['c.ts', new Set(['a.ts', 'd.ts'])],
      ['d.ts', new Set<string>()],
      ['e.ts', new Set(['e.ts'])],
    ]);
    expect(importCircles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts'], ['e.ts']]);
  });
});
