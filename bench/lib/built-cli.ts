import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

/** The CLI the benchmarks run, refusing one that would start from the TypeScript sources. */
export function builtCli(): string {
  if (!distIsFresh()) {
    throw new Error(
      'dist/ is older than src/ (or missing): bin/pedigree.js would run the sources through tsx, ~2 s more CPU per 1M execs than the compiled CLI users run. Run `npm run build` first.',
    );
  }
  return join(ROOT, 'bin', 'pedigree.js');
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** The same test bin/pedigree.js makes before it starts from dist/. */
function distIsFresh(): boolean {
  try {
    return statSync(join(ROOT, 'dist', '.build-stamp')).mtimeMs >= newestMtime(join(ROOT, 'src'));
  } catch {
    return false;
  }
}
