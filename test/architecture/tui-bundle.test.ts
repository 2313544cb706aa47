import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The build's one-file TUI bundle (scripts/bundle-tui.mjs): it must import the CLI's own
 * compiled modules (the same instances) rather than copies, and nothing it cannot find.
 */

const BUNDLE = fileURLToPath(new URL('../../dist/tui/run-tui.bundle.js', import.meta.url));
const STAMP = fileURLToPath(new URL('../../dist/.build-stamp', import.meta.url));
const built = existsSync(BUNDLE) && existsSync(STAMP) && statSync(BUNDLE).mtimeMs <= statSync(STAMP).mtimeMs + 1000;
if (!built) console.warn('SKIPPING TUI bundle checks: no current build in dist/ (npm run build makes one)');

describe.skipIf(!built)('TUI bundle', () => {
  const text = built ? readFileSync(BUNDLE, 'utf8') : '';
  const relativeImports = [...text.matchAll(/^import .* from "(\.[^"]+)";$/gm)].map((m) => m[1] as string);

  it('imports the database, lineage and error modules the CLI uses, by relative path, and they exist', () => {
    expect(relativeImports.length).toBeGreaterThan(0);
    for (const spec of relativeImports) {
      expect(spec.startsWith('../'), spec).toBe(true);
      expect(existsSync(resolve(dirname(BUNDLE), spec)), spec).toBe(true);
    }
    expect(relativeImports).toContain('../util/errors.js');
  });

  it('bundles ink and react (no import of them at run time) and loads', async () => {
    expect(text).not.toMatch(/from "(ink|react)"/);
    const mod = (await import(BUNDLE)) as { runTui?: unknown };
    expect(typeof mod.runTui).toBe('function');
  });
});
