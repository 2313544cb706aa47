/**
 * .scap import speed and peak memory next to sysdig reading the same file, in the same run.
 *
 *   node --import tsx bench/scap-import.ts [SIZE_MB...]      (default: 100 1000)
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
import { measureCommand } from './lib/measure.js';
import { generateScap } from './scap-generate.js';

const OUT = benchDir();
const BIN = new URL('../bin/pedigree.js', import.meta.url).pathname;

const sizes = process.argv.slice(2).map(Number);
const rows: string[] = [];
for (const mb of sizes.length > 0 ? sizes : [100, 1000]) {
  const input = join(OUT, `scap-${mb}mb.scap`);
  let events = '';
  if (!existsSync(input)) {
    const g = generateScap(input, mb * 1e6);
    events = `${(g.events / 1e6).toFixed(1)} M (${((100 * g.lineageEvents) / g.events).toFixed(1)} % lineage)`;
  }
  const db = join(OUT, `scap-${mb}mb.db`);
  removeCase(db);
  const loadBefore = loadNow();
  const sysdig = measureCommand('sh', ['-c', `sysdig -r '${input}' > /dev/null`]);
  if (sysdig.code !== 0) throw new Error(`sysdig failed: ${sysdig.stderr}`);
  const imp = measureCommand(process.execPath, [BIN, 'import', input, '--db', db, '-q']);
  if (imp.code !== 0) throw new Error(imp.stderr);
  const cs = caseSize(db);
  removeCase(db);
  const size = (statSync(input).size / 1e6).toFixed(0);
  rows.push(
    `| ${size} MB | ${events || 'see earlier run'} | ${sysdig.seconds.toFixed(1)} s (${sysdig.cpuSeconds.toFixed(1)} s CPU) | ${imp.seconds.toFixed(2)} s (${imp.cpuSeconds.toFixed(2)} s CPU) | **${(sysdig.seconds / imp.seconds).toFixed(1)}×** (CPU ${(sysdig.cpuSeconds / imp.cpuSeconds).toFixed(1)}×) | ${imp.maxRssMb.toFixed(0)} MB | ${sysdig.maxRssMb.toFixed(0)} MB | ${(cs.bytes / 1e6).toFixed(1)} MB, ${cs.execRows.toLocaleString('en-US')} execs, ${cs.bytesPerExec.toFixed(0)} B/exec | ${loadBefore}–${loadNow()} |`,
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
