// Bundles the compiled TUI (dist/tui/run-tui.js with ink, react and their ~100 small modules)
// into one file, dist/tui/run-tui.bundle.js: loading one file instead of hundreds cuts the
// TUI's start by ~0.4 s. Modules outside dist/tui/ (database, lineage, errors) stay shared
// imports, so the CLI and the TUI use the same instances. Without the bundle the CLI loads
// dist/tui/run-tui.js as before.
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const tuiDir = fileURLToPath(new URL('../dist/tui/', import.meta.url));

export async function bundleTui() {
  await build({
    entryPoints: [`${tuiDir}run-tui.js`],
    outfile: `${tuiDir}run-tui.bundle.js`,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    external: ['better-sqlite3'],
    // The CLI runs React in production mode (bin/pedigree.js); the development builds are dead code.
    define: { 'process.env.NODE_ENV': '"production"' },
    // CommonJS dependencies bundled into an ES module still call require() for node builtins.
    banner: { js: "import { createRequire as pedigreeCreateRequire } from 'node:module'; const require = pedigreeCreateRequire(import.meta.url);" },
    plugins: [
      {
        name: 'pedigree-tui',
        setup(b) {
          // Ink imports React's devtools only when DEV is set; the bundle never connects to them.
          b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'stub' }));
          b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export default { initialize() {}, connectToDevTools() {} };' }));
          b.onResolve({ filter: /^\.\.?\// }, (args) => {
            const target = resolve(args.resolveDir, args.path);
            if (!args.importer.startsWith(tuiDir) || target.startsWith(tuiDir)) return undefined;
            const path = relative(tuiDir, target);
            return { path: path.startsWith('.') ? path : `./${path}`, external: true };
          });
        },
      },
    ],
  });
}
