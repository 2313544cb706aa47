// Bundles the CLI as `pedigree import` loads it (dist/bin.js, the import command and everything
// they import but better-sqlite3) into dist/import-bundle/: Node's loader takes ~1 ms per module,
// and the ~100 modules of the import path were a tenth of a 100 MB .scap import. The PostgreSQL
// import path stays a chunk of its own, loaded only for a postgres:// case; the other commands
// stay out (they are never loaded by `pedigree import`). Modules that find files next to
// themselves (import.meta.url: the package.json, schema/, worker scripts) get their own
// location back, so they find the same files from the bundle. bin/pedigree.js uses the bundle
// for `pedigree import` when it is there.
import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const distDir = fileURLToPath(new URL('../dist/', import.meta.url));
const outDir = `${distDir}import-bundle`;

/** The modules `pedigree import` loads on demand: bundled with it (one instance each), not loaded from dist/. */
const BUNDLED_DYNAMIC_IMPORTS = [`${sep}commands${sep}import.js`, `${sep}cli${sep}import-postgres.js`, `${sep}importer${sep}early-read-thread.js`];

export async function bundleImport() {
  // Chunks of earlier builds (their names carry content hashes) would pile up.
  rmSync(outDir, { recursive: true, force: true });
  await build({
    entryPoints: { bin: `${distDir}bin.js` },
    outdir: outDir,
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    external: ['better-sqlite3'],
    // CommonJS dependencies (commander, pg) bundled into an ES module still call require() for node builtins.
    banner: { js: "import { createRequire as pedigreeCreateRequire } from 'node:module'; const require = pedigreeCreateRequire(import.meta.url);" },
    plugins: [
      {
        name: 'pedigree-import',
        setup(b) {
          b.onResolve({ filter: /^\.\.?\// }, (args) => {
            if (args.kind !== 'dynamic-import') return undefined;
            const target = resolve(args.resolveDir, args.path);
            const keep = BUNDLED_DYNAMIC_IMPORTS.some((end) => target.endsWith(end));
            if (keep) return undefined;
            // Another command (never loaded by `pedigree import`): the compiled module, as before.
            const path = relative(outDir, target);
            return { path: path.startsWith('.') ? path : `./${path}`, external: true };
          });
          b.onLoad({ filter: /\.js$/ }, async (args) => {
            if (!args.path.startsWith(distDir)) return undefined;
            const source = await readFile(args.path, 'utf8');
            if (!source.includes('import.meta.url')) return undefined;
            const own = JSON.stringify(relative(outDir, args.path).split(sep).join('/'));
            return { contents: source.replaceAll('import.meta.url', `new URL(${own}, import.meta.url).href`), loader: 'js', resolveDir: dirname(args.path) };
          });
        },
      },
    ],
  });
}
