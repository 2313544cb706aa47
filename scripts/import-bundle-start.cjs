'use strict';
// Runs the import bundle beside this file (bin.cjs, scripts/bundle-import.mjs) from the code cache
// the build left (bin.cache). V8 rejects a cache that does not fit its version, flags or the
// source; the script is then compiled from its source as usual. With PEDIGREE_CODE_CACHE_OUT set
// (the build does) the warm script's cache is written there when the process ends.
const { readFileSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { join } = require('node:path');
const vm = require('node:vm');

const file = join(__dirname, 'bin.cjs');
const cacheOut = process.env.PEDIGREE_CODE_CACHE_OUT;

// A cache made by another Node release would be rejected. Node 22.1 and later keep a code cache of
// modules between runs (module.enableCompileCache, which bin/pedigree.js turns on): the bundle
// loaded as a module starts from that cache from its second run on, instead of being compiled
// from its source every time (Node 24 with a cache made by Node 20, 100 MB .scap: the importing
// thread 238 -> 218 ms of CPU; from a cache made by Node 24 itself, 210).
if (cacheOut === undefined && typeof Module.enableCompileCache === 'function' && cacheMadeBy() !== process.version) {
  Module.enableCompileCache();
  if (process.env.PEDIGREE_TIMING !== undefined) process.stderr.write("timing: import bundle through Node's compile cache\n");
  require(file);
} else {
  runWithCodeCache();
}

/** The Node release that made bin.cache (written beside it), or null without one. */
function cacheMadeBy() {
  try {
    return readFileSync(join(__dirname, 'bin.cache.node'), 'utf8');
  } catch {
    return null;
  }
}

function runWithCodeCache() {
  let cachedData;
  if (cacheOut === undefined) {
    try {
      cachedData = readFileSync(join(__dirname, 'bin.cache'));
    } catch {
      // No cache: compiled from the source.
    }
  }
  const script = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), {
    filename: file,
    cachedData,
    // The other commands' modules, were the bundle to load one (pedigree import never does).
    importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (process.env.PEDIGREE_TIMING !== undefined) {
    process.stderr.write(
      `timing: import bundle ${cachedData === undefined ? 'without a code cache' : script.cachedDataRejected ? 'code cache rejected' : 'from its code cache'}\n`,
    );
  }
  // Beside it, the Node release that made it (a later Node rejects it, and compiles from the source).
  if (cacheOut !== undefined)
    process.once('exit', () => {
      writeFileSync(cacheOut, script.createCachedData());
      writeFileSync(`${cacheOut}.node`, process.version);
    });
  const bundle = new Module(file, module);
  bundle.filename = file;
  bundle.paths = Module._nodeModulePaths(__dirname);
  script.runInThisContext().call(bundle.exports, bundle.exports, Module.createRequire(file), bundle, file, __dirname);
}
