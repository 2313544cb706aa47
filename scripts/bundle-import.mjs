// Bundles the CLI as `pedigree import` loads it (the CLI's entry, the import command and everything
// they import but better-sqlite3) into one script, dist/import-bundle/bin.cjs: Node's loader takes
// ~1 ms per module, and the ~100 modules of the import path were a tenth of a 100 MB .scap
// import. The other commands stay out (never loaded by `pedigree import`). Modules that find
// files next to themselves (import.meta.url: the package.json, schema/, worker scripts) get their
// own location back, so they find the same files from the bundle.
//
// The build then runs one import through the bundle (the bundled sample capture into a scratch
// case) and keeps V8's code cache of the warm script (bin.cache): the bytecode of every function
// that import compiled, so a run starts from it instead of compiling the bundle's functions as it
// reaches them. V8 checks the cache against its own version, flags and the source, and compiles
// from the source when it does not fit. start.cjs loads the bundle with it; bin/pedigree.js uses
// it for `pedigree import` when it is there.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const distDir = fileURLToPath(new URL('../dist/', import.meta.url));
const outDir = `${distDir}import-bundle`;
const SAMPLE = fileURLToPath(new URL('../samples/story.scap', import.meta.url));

/**
 * Modules that start the hashing thread (./hash-worker beside them): from the bundle they start
 * the worker bundled as one CommonJS script beside it (a thread loading one script instead of
 * four ES modules boots in ~7 ms less CPU, on the core that hashes while the other parses).
 */
const HASH_WORKER_STARTERS = [`${sep}importer${sep}read-hash-thread.js`, `${sep}importer${sep}hash-thread.js`];

/**
 * The module that starts the import worker (./import-worker beside it, which reads JSON lines):
 * from the bundle it starts the worker bundled as one script beside it too. As ~90 ES modules
 * the worker took ~0.15-0.25 s to load before it parsed a line, while this thread waited for rows.
 */
const IMPORT_WORKER_STARTERS = [`${sep}importer${sep}run-in-worker.js`];

/** The modules `pedigree import` loads on demand: bundled with it (one instance each), not loaded from dist/. */
const BUNDLED_DYNAMIC_IMPORTS = [`${sep}commands${sep}import.js`, `${sep}cli${sep}import-postgres.js`, `${sep}importer${sep}early-read-thread.js`];

export async function bundleImport() {
  rmSync(outDir, { recursive: true, force: true });
  // dist/bin.js as a CommonJS script (no top-level await there): V8 caches code for scripts, not ES modules.
  await build({
    ...SCRIPT,
    ...USES_SQLITE,
    stdin: {
      contents: "import { runCli } from './cli/main.js';\nrunCli(process.argv).then((code) => {\n  process.exitCode = code;\n});\n",
      resolveDir: distDir,
      sourcefile: 'import-entry.js',
    },
    outfile: `${outDir}/bin.cjs`,
  });
  await build({ ...SCRIPT, entryPoints: [`${distDir}importer/hash-worker.js`], outfile: `${outDir}/hash-worker.js` });
  await build({ ...SCRIPT, ...USES_SQLITE, entryPoints: [`${distDir}importer/import-worker.js`], outfile: `${outDir}/import-worker.js` });
  // .js files here are CommonJS scripts (the worker is started by its .js name).
  writeFileSync(`${outDir}/package.json`, '{ "type": "commonjs" }\n');
  copyFileSync(fileURLToPath(new URL('import-bundle-start.cjs', import.meta.url)), `${outDir}/start.cjs`);
  writeCodeCache();
}

const BUNDLE_URL_BANNER = { js: "'use strict';\nconst pedigreeBundleUrl = require('node:url').pathToFileURL(__filename).href;" };

/** What every script of the bundle is built as: one CommonJS file for Node 20 and later. */
const SCRIPT = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' };

/** The scripts that open cases: better-sqlite3 stays a package, and bundled code finds its own files. */
const USES_SQLITE = { external: ['better-sqlite3'], banner: BUNDLE_URL_BANNER, plugins: [ownLocations()] };

/**
 * Bundled modules that find files beside them (import.meta.url) get their own location back; the
 * ones that start a bundled worker get a location in the bundle's directory, where it is.
 */
function ownLocations() {
  return {
    name: 'pedigree-import',
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
        const target = resolve(args.resolveDir, args.path);
        if (BUNDLED_DYNAMIC_IMPORTS.some((end) => target.endsWith(end))) return undefined;
        // Another command (never loaded by `pedigree import`): the compiled module, as before.
        const path = relative(outDir, target);
        return { path: path.startsWith('.') ? path : `./${path}`, external: true };
      });
      b.onLoad({ filter: /\.js$/ }, async (args) => {
        if (!args.path.startsWith(distDir)) return undefined;
        const source = await readFile(args.path, 'utf8');
        if (!source.includes('import.meta.url')) return undefined;
        const starts = [...HASH_WORKER_STARTERS, ...IMPORT_WORKER_STARTERS].some((end) => args.path.endsWith(end));
        const own = JSON.stringify(starts ? 'worker-starter.js' : relative(outDir, args.path).split(sep).join('/'));
        return { contents: source.replaceAll('import.meta.url', `new URL(${own}, pedigreeBundleUrl).href`), loader: 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}

/** One import of the sample through the bundle, which leaves the warm script's code cache in bin.cache. */
function writeCodeCache() {
  const scratch = mkdtempSync(join(tmpdir(), 'pedigree-build-'));
  try {
    const r = spawnSync(process.execPath, [`${outDir}/start.cjs`, 'import', SAMPLE, '--db', join(scratch, 'warm.db'), '-q'], {
      encoding: 'utf8',
      env: { ...process.env, PEDIGREE_CODE_CACHE_OUT: `${outDir}/bin.cache` },
    });
    if (r.status !== 0) throw new Error(`the import bundle could not import ${SAMPLE}: ${r.stderr || r.error?.message}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
