import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportGraph, sourceFiles, unusedExports } from './export-graph.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SRC = sourceFiles(`${ROOT}src`, /\.(ts|tsx)$/);
const IMPORTERS = [...sourceFiles(`${ROOT}src`), ...sourceFiles(`${ROOT}test`), ...sourceFiles(`${ROOT}bench`), ...sourceFiles(`${ROOT}scripts`)];

/**
 * Exports nothing imports yet that were there when this check began (file: name), left for their
 * owners to use or unexport. The list may only shrink: a new unused export fails the test.
 */
const KNOWN_UNUSED = new Set(
  readFileSync(new URL('./unused-exports.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#')),
);

describe('exports', () => {
  it('every exported value (and every type its file does not use) is imported somewhere in src, test, bench or scripts', () => {
    const unused = unusedExports(exportGraph(SRC, IMPORTERS)).map((e) => `${relative(ROOT, e.file)}: ${e.name}`);
    expect(
      unused.filter((u) => !KNOWN_UNUSED.has(u)),
      'exported but imported nowhere: drop the export, or use it',
    ).toEqual([]);
  });

  it('the check sees unused exports, re-exports, type-only use and dynamic imports', () => {
    const fixture = fileURLToPath(new URL('./fixtures/exports/', import.meta.url));
    const files = sourceFiles(fixture);
    const unused = unusedExports(
      exportGraph(
        files.filter((f) => !f.endsWith('user.ts')),
        files,
      ),
    ).map((e) => e.name);
    expect(unused.sort()).toEqual(['Orphan', 'unusedConst', 'unusedFn']);
  });
});
