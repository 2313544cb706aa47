// Compiles src/ to dist/ so the CLI starts without a TypeScript loader (run by `npm ci` through
// "prepare", and by `npm run build`). If compilation fails, dist/ is removed and bin/pedigree.js
// falls back to running the sources through tsx, so an install never ends half-built. In CI
// (CI=true) or with PEDIGREE_STRICT_BUILD set, a failed compile fails the install instead.
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const dist = new URL('../dist/', import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', new URL('../tsconfig.build.json', import.meta.url).pathname], { stdio: 'inherit' });
if (r.status !== 0) {
  rmSync(dist, { recursive: true, force: true });
  process.stderr.write('pedigree: TypeScript build failed; the CLI will run the sources through tsx instead.\n');
  process.exit(process.env.PEDIGREE_STRICT_BUILD || process.env.CI === 'true' ? 1 : 0);
}
try {
  const { bundleTui } = await import('./bundle-tui.mjs');
  await bundleTui();
} catch (err) {
  process.stderr.write(`pedigree: TUI bundle not built (${err.message}); the TUI loads its modules one by one.\n`);
}
try {
  const { bundleImport } = await import('./bundle-import.mjs');
  await bundleImport();
} catch (err) {
  rmSync(new URL('import-bundle/', dist), { recursive: true, force: true });
  process.stderr.write(`pedigree: import bundle not built (${err.message}); pedigree import loads its modules one by one.\n`);
}
try {
  // A new case gets the schema in one script instead of running every migration (src/db/fresh-case.ts).
  const { freshCaseScript } = await import('../dist/db/migrate.js');
  const { writeFreshCaseScript } = await import('../dist/db/fresh-case.js');
  writeFreshCaseScript(freshCaseScript());
} catch (err) {
  process.stderr.write(`pedigree: schema script for new cases not built (${err.message}); new cases run every migration.\n`);
}
writeFileSync(new URL('.build-stamp', dist), `${new Date().toISOString()}\n`);
