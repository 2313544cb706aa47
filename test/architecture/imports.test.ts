import { readdirSync, readFileSync } from 'node:fs';
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

describe('module layering', () => {
  const violations: string[] = [];
  for (const file of sourceFiles(SRC)) {
    const from = topModule(file);
    if (ALLOWED[from] === undefined) violations.push(`${from}: not a known module`);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
      const spec = m[1] ?? '';
      const where = relative(SRC, file);
      if (spec.startsWith('.')) {
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
});
