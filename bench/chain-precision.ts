/**
 * Precision of the bundled chain rules: matches per chain on every real capture and dataset in
 * ../shared and on the generated 1M-exec case (bench/rules-case.ts), so that a chain that starts
 * matching benign activity shows up as a number that moved. Writes a Markdown table.
 *
 *   node --import tsx bench/chain-precision.ts [--execs 1000000] [--skip-generated] [--out FILE]
 *
 * Each shared file is imported on its own into a scratch case (Tetragon's docs-sec-obs-ch3
 * export, one story in several files, as one case); the generated case is built once into
 * $PEDIGREE_BENCH_DIR/rules-N.db (default /tmp/pedigree-bench; reused when present).
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLED_CHAIN_RULES } from '../src/chains/bundled.js';
import { compileChains, evaluableChains, selectChains } from '../src/chains/chainset.js';
import { runCompiledChains } from '../src/chains/run/chain-runner.js';
import { openCaseForWrite, openCaseReadOnly } from '../src/db/open.js';
import { importFile } from '../src/importer/import-file.js';
import { mergeAcrossSources } from '../src/importer/merge-sources.js';
import { loadRulesFiles } from '../src/rules/loader/load-rules.js';
import { benchDir } from './lib/bench-dir.js';
import { buildRulesCase } from './rules-case.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const execs = Number(option('--execs') ?? 0) || 1_000_000;
const shared = fileURLToPath(new URL('../../shared/', import.meta.url));

const compiled = evaluableChains(compileChains(selectChains(loadRulesFiles([BUNDLED_CHAIN_RULES]))));
const chains = compiled.map((c) => c.chain.def.name);

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();
}

/** The inputs: each capture, each dataset file, and the Tetragon chapter-3 export as one. */
function inputs(): { label: string; files: string[] }[] {
  if (!existsSync(shared)) return [];
  const tetragonCh3 = join(shared, 'datasets/tetragon/docs-sec-obs-ch3');
  const captures = readdirSync(join(shared, 'captures'))
    .filter((f) => f.endsWith('.scap'))
    .sort();
  const datasets = filesUnder(join(shared, 'datasets')).filter((f) => !f.startsWith(tetragonCh3) && !/\.(md|yaml)$/.test(f) && statSync(f).size > 0);
  const samples = fileURLToPath(new URL('../samples/', import.meta.url));
  return [
    ...['story.scap', 'story.jsonl'].map((f) => ({ label: `samples/${f} (bundled attack story)`, files: [join(samples, f)] })),
    ...captures.map((f) => ({ label: `captures/${f}`, files: [join(shared, 'captures', f)] })),
    ...datasets.map((f) => ({ label: f.slice(shared.length), files: [f] })),
    { label: 'datasets/tetragon/docs-sec-obs-ch3 (all files)', files: filesUnder(tetragonCh3).filter((f) => f.endsWith('.json')) },
  ];
}

function countMatches(dbPath: string): { counts: number[]; ms: number } {
  const ro = openCaseReadOnly(dbPath);
  try {
    const t0 = process.hrtime.bigint();
    const { matches } = runCompiledChains(ro, compiled);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    return { counts: chains.map((name) => matches.filter((m) => m.chain === name).length), ms };
  } finally {
    ro.close();
  }
}

const rows: { label: string; counts: number[] | null; note: string }[] = [];
const scratch = mkdtempSync(join(tmpdir(), 'pedigree-precision-'));
try {
  for (const input of inputs()) {
    const dbPath = join(scratch, `case-${rows.length}.db`);
    const db = openCaseForWrite(dbPath);
    let note = '';
    try {
      for (const f of input.files) await importFile(db, f, { afterWrite: mergeAcrossSources });
    } catch (err) {
      note = `not imported: ${(err as Error).message.split('\n')[0]}`;
    } finally {
      db.close();
    }
    rows.push({ label: input.label, counts: note ? null : countMatches(dbPath).counts, note });
    process.stderr.write('.');
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
process.stderr.write('\n');

let generated = '';
if (!args.includes('--skip-generated')) {
  const dbPath = join(benchDir(), `rules-${execs}.db`);
  if (!existsSync(dbPath)) {
    const t0 = Date.now();
    buildRulesCase(dbPath, execs);
    generated += `built ${dbPath} in ${((Date.now() - t0) / 1000).toFixed(1)} s; `;
  }
  const { counts, ms } = countMatches(dbPath);
  rows.push({ label: `generated case (bench/rules-case.ts, ${execs.toLocaleString('en')} execs)`, counts, note: '' });
  generated += `generated case: all chains in ${(ms / 1000).toFixed(2)} s`;
}

const short = chains.map((_, i) => `C${i + 1}`);
const lines = [
  `| input | ${short.join(' | ')} | note |`,
  `|---|${short.map(() => '---:').join('|')}|---|`,
  ...rows.map((r) => `| ${r.label} | ${r.counts ? r.counts.join(' | ') : short.map(() => '–').join(' | ')} | ${r.note} |`),
  '',
  ...chains.map((c, i) => `C${i + 1}: ${c}`),
  '',
  `load: ${execSync('uptime').toString().trim()}`,
  generated,
];
const text = `${lines.join('\n')}\n`;
const out = option('--out');
if (out) writeFileSync(out, text);
process.stdout.write(text);
