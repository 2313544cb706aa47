/**
 * Benchmark: every bundled chain rule (rules/chains.yaml) over a synthetic case of N exec rows
 * (the rules benchmark's case: 2,000 containers, trees to depth 30, shells, downloaders, /tmp
 * binaries, package managers and network tools throughout). Target (issue 7): all bundled
 * chains under 10 s in total.
 *
 * No other tool evaluates lineage chains, so the reference run beside pedigree is SQLite itself:
 * the sqlite3 shell runs the same compiled queries (parameters bound with .param) on the same
 * file, which shows what pedigree adds on top of the engine (rendering, lineage paths).
 *
 *   node --import tsx bench/chains-run.ts [--execs 1000000] [--rebuild]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BUNDLED_CHAIN_RULES } from '../src/chains/bundled.js';
import { compileChains, evaluableChains, selectChains } from '../src/chains/chainset.js';
import type { CompiledChain } from '../src/chains/compile/chain-query.js';
import { runCompiledChains } from '../src/chains/run/chain-runner.js';
import { openCaseReadOnly } from '../src/db/open.js';
import { loadRulesFiles } from '../src/rules/loader/load-rules.js';
import { buildRulesCase } from './rules-case.js';

const args = process.argv.slice(2);
const execs = Number(args[args.indexOf('--execs') + 1] ?? 0) || 1_000_000;
const out = fileURLToPath(new URL('./out/', import.meta.url));
mkdirSync(out, { recursive: true });
const dbPath = `${out}rules-${execs}.db`;

if (args.includes('--rebuild') || !existsSync(dbPath)) {
  const t0 = Date.now();
  buildRulesCase(dbPath, execs);
  console.log(`built ${dbPath} (${execs} execs) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

const t0 = process.hrtime.bigint();
const compiled = evaluableChains(compileChains(selectChains(loadRulesFiles([BUNDLED_CHAIN_RULES]))));
const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;

const db = openCaseReadOnly(dbPath);
const span = db.prepare('SELECT min(ts_ns) AS lo, max(ts_ns) AS hi, count(*) AS n FROM execs').get() as { lo: bigint; hi: bigint; n: bigint };
const t1 = process.hrtime.bigint();
const { matches, stats } = runCompiledChains(db, compiled);
const runMs = Number(process.hrtime.bigint() - t1) / 1e6;
db.close();

const sqliteMs = compiled.map((c) => sqliteShellMs(c));

const width = Math.max(...stats.map((s) => s.chain.length));
console.log(`case: ${span.n} exec rows spanning ${Number((span.hi - span.lo) / 1_000_000_000n)} s (every chain window covers most of it)\n`);
console.log(`${'chain'.padEnd(width)}  matches  pedigree   sqlite3 shell`);
stats.forEach((s, i) => {
  const ref = sqliteMs[i];
  console.log(
    `${s.chain.padEnd(width)}  ${String(s.matches).padStart(7)}  ${(s.ms / 1000).toFixed(3).padStart(7)} s  ${ref === null ? '      n/a' : `${(ref! / 1000).toFixed(3).padStart(7)} s`}`,
  );
});
const refTotal = sqliteMs.every((m) => m !== null) ? sqliteMs.reduce((a, b) => a! + b!, 0)! : null;
console.log(`\n${compiled.length} chains, ${execs} execs, ${matches.length} matches`);
console.log(
  `load+compile ${(loadMs / 1000).toFixed(2)} s, run ${(runMs / 1000).toFixed(2)} s (sqlite3 shell, same queries: ${refTotal === null ? 'n/a' : `${(refTotal / 1000).toFixed(2)} s`})`,
);
console.log(runMs < 10_000 ? 'target met: all bundled chains < 10 s' : 'TARGET MISSED');

/** Runs one compiled chain query in the sqlite3 shell; wall time in ms, or null without sqlite3. */
function sqliteShellMs(c: CompiledChain): number | null {
  const probe = spawnSync('sqlite3', ['-version'], { encoding: 'utf8' });
  if (probe.status !== 0) return null;
  let n = 0;
  const numbered = c.sql.replace(/\?/g, () => `?${++n}`);
  const sets = c.parameters.map((p, i) => `.param set ?${i + 1} ${literal(p)}`);
  const script = `${out}chain-query.sql`;
  writeFileSync(script, `.param init\n${sets.join('\n')}\nSELECT count(*) FROM (${numbered});\n`);
  const started = process.hrtime.bigint();
  const r = spawnSync('sqlite3', ['-readonly', dbPath, `.read ${script}`], { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`sqlite3 failed on chain '${c.chain.def.name}': ${r.stderr}`);
  return ms;
}

function literal(v: unknown): string {
  if (typeof v === 'bigint' || typeof v === 'number') return String(v);
  return `"'${String(v).replace(/'/g, "''").replace(/"/g, '\\"')}'"`;
}
