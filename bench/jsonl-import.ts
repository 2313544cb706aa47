/**
 * JSON-lines import throughput and peak memory, next to the parse-only ceiling in the same run.
 *
 *   node --import tsx bench/jsonl-import.ts [EXECS...]     (default: 1000000 5000000)
 *
 * Inputs are generated once into /tmp/pedigree-bench (PEDIGREE_BENCH_DIR; deterministic).
 * Prints a Markdown table.
 */
import { existsSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { benchDir, loadNow } from './lib/bench-dir.js';
import { caseSize, removeCase } from './lib/case-size.js';
import { generateJsonl } from './lib/generate-jsonl.js';
import { measureCommand } from './lib/measure.js';
import { builtCli } from './lib/built-cli.js';

const OUT = benchDir();
const BIN = builtCli();
const PARSE_ONLY = new URL('./lib/parse-only.mjs', import.meta.url).pathname;

const sizes = process.argv.slice(2).map(Number);
const rows: string[] = [];
for (const execs of sizes.length > 0 ? sizes : [1_000_000, 5_000_000]) {
  const input = join(OUT, `gen-${execs}.jsonl`);
  if (!existsSync(input)) {
    // Written under another name first: an interrupted run must not leave a short input behind.
    await generateJsonl(`${input}.part`, { execs, seed: 42 });
    renameSync(`${input}.part`, input);
  }
  const db = join(OUT, `gen-${execs}.db`);
  removeCase(db);
  const loadBefore = loadNow();
  const parse = measureCommand(process.execPath, [PARSE_ONLY, input]);
  const events = Number(parse.stdout.trim());
  const imp = measureCommand(process.execPath, [BIN, 'import', input, '--db', db, '-q']);
  if (imp.code !== 0) throw new Error(imp.stderr);
  const mb = (p: string): string => (statSync(p).size / 1e6).toFixed(0);
  const size = caseSize(db);
  rows.push(
    `| ${execs.toLocaleString('en-US')} | ${events.toLocaleString('en-US')} | ${mb(input)} MB | ${parse.seconds.toFixed(1)} s, ${parse.cpuSeconds.toFixed(1)} s CPU | ${imp.seconds.toFixed(1)} s, ${imp.cpuSeconds.toFixed(1)} s CPU (${(imp.cpuSeconds / parse.cpuSeconds).toFixed(1)}× parse CPU) | **${Math.round(events / imp.seconds / 1000)}k ev/s** (${Math.round(events / imp.cpuSeconds / 1000)}k per CPU-s) | ${imp.maxRssMb.toFixed(0)} MB | ${mb(db)} MB (${(size.bytes / statSync(input).size).toFixed(2)}× JSONL, ${size.bytesPerExec.toFixed(0)} B/exec) | ${loadBefore}–${loadNow()} |`,
  );
  process.stderr.write(`${rows.at(-1)}\n`);
}
process.stdout.write(
  [
    '| execs | events | JSONL | parse only (ceiling): wall, CPU | pedigree import: wall, CPU | import rate | peak RSS | case db | load |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n') + '\n',
);
