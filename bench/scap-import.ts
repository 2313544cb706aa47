/**
 * .scap import speed and peak memory next to sysdig reading the same file, in the same run.
 *
 *   node --import tsx bench/scap-import.ts [--runs N] [SIZE_MB...]      (default: 100 1000, 1 run)
 *
 * With --runs N each tool runs N times per size, alternating (sysdig, pedigree, sysdig, …), and
 * the table shows each tool's fastest run with its CPU time and the slowest wall time beside it:
 * on a shared machine the fastest run is the one least disturbed. With --quiet each run waits
 * (up to two minutes) until the CPUs were ≥ 90 % idle for 0.3 s; a run that found no such moment
 * is counted in the table's last column.
 *
 * Captures are generated once into /tmp/pedigree-bench (PEDIGREE_BENCH_DIR; deterministic, plain
 * scap) by scap-generate.ts:
 * a few percent lineage events, the rest read/write syscalls. Both tools read the file from the
 * page cache (it was just written or read). Prints a Markdown table.
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { benchDir, loadNow } from './lib/bench-dir.js';
import { caseSize, removeCase } from './lib/case-size.js';
import { type Measured, measureCommand } from './lib/measure.js';
import { generateScap } from './scap-generate.js';
import { builtCli } from './lib/built-cli.js';
import { waitForQuiet } from './lib/wait-quiet.js';

const OUT = benchDir();

// bin/pedigree.js runs the sources through tsx when dist/ is older than them: that would time tsx.
const BIN = builtCli();

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 1;
const quietAt = args.indexOf('--quiet');
const gated = quietAt >= 0;
if (gated) args.splice(quietAt, 1);
/** Runs taken without a quiet moment before them (with --quiet). */
let unquiet = 0;
const settle = (): void => {
  if (gated && !waitForQuiet()) unquiet++;
};
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs takes a positive whole number');
const sizes = args.map(Number);
const rows: string[] = [];

/** The fastest of the runs, and the slowest wall time among them. */
function best(all: Measured[]): Measured & { slowest: number } {
  const sorted = [...all].sort((a, b) => a.seconds - b.seconds);
  return { ...(sorted[0] as Measured), slowest: (sorted.at(-1) as Measured).seconds };
}
const spread = (m: { seconds: number; slowest: number }, digits: number): string => (runs > 1 ? `, slowest ${m.slowest.toFixed(digits)} s` : '');
for (const mb of sizes.length > 0 ? sizes : [100, 1000]) {
  const input = join(OUT, `scap-${mb}mb.scap`);
  let events = '';
  if (!existsSync(input)) {
    const g = generateScap(input, mb * 1e6);
    events = `${(g.events / 1e6).toFixed(1)} M (${((100 * g.lineageEvents) / g.events).toFixed(1)} % lineage)`;
  }
  const db = join(OUT, `scap-${mb}mb.db`);
  const loadBefore = loadNow();
  unquiet = 0;
  const sysdigRuns: Measured[] = [];
  const importRuns: Measured[] = [];
  let cs: ReturnType<typeof caseSize> | undefined;
  for (let run = 0; run < runs; run++) {
    removeCase(db);
    settle();
    const s = measureCommand('sh', ['-c', `sysdig -r '${input}' > /dev/null`]);
    if (s.code !== 0) throw new Error(`sysdig failed: ${s.stderr}`);
    sysdigRuns.push(s);
    settle();
    const i = measureCommand(process.execPath, [BIN, 'import', input, '--db', db, '-q']);
    if (i.code !== 0) throw new Error(i.stderr);
    importRuns.push(i);
    cs = caseSize(db);
    removeCase(db);
  }
  const sysdig = best(sysdigRuns);
  const imp = best(importRuns);
  if (!cs) throw new Error('no run');
  const size = (statSync(input).size / 1e6).toFixed(0);
  rows.push(
    `| ${size} MB | ${events || 'see earlier run'} | ${sysdig.seconds.toFixed(1)} s (${sysdig.cpuSeconds.toFixed(1)} s CPU${spread(sysdig, 1)}) | ${imp.seconds.toFixed(2)} s (${imp.cpuSeconds.toFixed(2)} s CPU${spread(imp, 2)}) | **${(sysdig.seconds / imp.seconds).toFixed(1)}×** (CPU ${(sysdig.cpuSeconds / imp.cpuSeconds).toFixed(1)}×) | ${imp.maxRssMb.toFixed(0)} MB | ${sysdig.maxRssMb.toFixed(0)} MB | ${(cs.bytes / 1e6).toFixed(1)} MB, ${cs.execRows.toLocaleString('en-US')} execs, ${cs.bytesPerExec.toFixed(0)} B/exec | ${loadBefore}–${loadNow()}${gated ? ` (gated; ${unquiet} runs not quiet)` : ''} |`,
  );
  process.stderr.write(`${rows.at(-1)}\n`);
}
process.stdout.write(
  [
    '| capture | events | `sysdig -r FILE > /dev/null` | `pedigree import` | ratio | pedigree peak RSS | sysdig peak RSS | case db | load |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n') + '\n',
);
