#!/usr/bin/env node
// Starts pedigree from the compiled dist/ when it is at least as new as every source file
// (fast start), else from the TypeScript sources through tsx (no build step needed).
import { existsSync, readdirSync, statSync } from 'node:fs';
import module, { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

// Node 22.1 and later keep compiled code between runs (a faster start); Node 20 has no cache.
module.enableCompileCache?.();

if (process.env.NODE_ENV === undefined) process.env.NODE_ENV = 'production';

const root = new URL('../', import.meta.url);

// Paths as strings: a URL per file made this check cost twice as much.
function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function distIsFresh() {
  try {
    return statSync(new URL('dist/.build-stamp', root)).mtimeMs >= newestMtime(fileURLToPath(new URL('src', root)));
  } catch {
    return false;
  }
}

if (distIsFresh()) {
  // `pedigree import` from one bundled script and its code cache (scripts/bundle-import.mjs) when the build made it.
  const bundle = fileURLToPath(new URL('dist/import-bundle/start.cjs', root));
  if (process.argv[2] === 'import' && existsSync(bundle)) createRequire(import.meta.url)(bundle);
  else await import(new URL('dist/bin.js', root).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('src/bin.ts', root).href);
}
