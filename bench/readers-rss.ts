/**
 * Peak RSS of the text readers' imports when their processes never exit:
 *
 *   node --import tsx bench/readers-rss.ts [EXECS] [FORMAT,FORMAT…]
 *
 * For every text format (or the formats named) it writes scaled copies of the real samples
 * (bench/readers-scale.ts: each copy its own pids; no process exits in them but strace's, and a
 * process list is one long table) holding about EXECS execs (default 1,000,000) to
 * PEDIGREE_BENCH_DIR, streamed to disk (5M audit execs are ~5.8 GB, 5M Falco alerts' ~5.3 GB).
 * Falco alerts are the website's with the lineage fields `append_output` adds: their execs are
 * the processes the alerts name, one snapshot row each. It imports each with the built CLI
 * under /usr/bin/time -v, prints
 * execs, the processes still running at the end and how many of them were parked out of memory,
 * wall, CPU, peak RSS and case size, and deletes the files. PEDIGREE_LIVE_PROCESS_CAP passes
 * through (a huge cap measures the import without parking). Run `npm run build` first.
 */
import { closeSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { benchDir, loadNow } from './lib/bench-dir.js';
import { builtCli } from './lib/built-cli.js';
import { caseSize, removeCase } from './lib/case-size.js';
import { measureCommand } from './lib/measure.js';
import { SCALED, SCALED_WITH_LINEAGE } from './readers-scale.js';

const args = process.argv.slice(2);
const target = Number(args[0] ?? 1_000_000);
const formats = args[1]?.split(',') ?? ['audit', 'laurel', 'tetragon', 'sysmon', 'strace', 'csv', 'ps', 'falco-alerts'];
const cli = builtCli();
const dir = benchDir();

/** Writes `copies` copies, `from` on, to `path`, in ~4 MB writes. */
function writeCopies(path: string, copy: (i: number) => string, copies: number): void {
  const fd = openSync(path, 'w');
  let pending = '';
  for (let i = 0; i < copies; i++) {
    pending += copy(i);
    if (pending.length > 4_000_000) {
      writeSync(fd, pending);
      pending = '';
    }
  }
  writeSync(fd, pending);
  closeSync(fd);
}

interface Imported {
  events: number;
  execs: number;
  processes: number;
}

function importOnce(file: string, format: string, db: string) {
  removeCase(db);
  const run = measureCommand(process.execPath, [cli, 'import', file, '--format', format, '--db', db, '--json', '-q'], { PEDIGREE_TIMING: '1' });
  if (run.code !== 0) throw new Error(`import of ${file} failed (${run.code}): ${run.stderr.slice(-2000)}`);
  const [result] = JSON.parse(run.stdout) as Imported[];
  const running = /timing: (\d+) processes running at the end, (\d+) of them parked; (\d+) parkings/.exec(run.stderr);
  return { run, result: result as Imported, running: running ? running.slice(1).map(Number) : [NaN, NaN, NaN] };
}

const fmt = (n: number): string => n.toLocaleString('en');
console.log(`target ${fmt(target)} execs; load ${loadNow()}; cap ${process.env.PEDIGREE_LIVE_PROCESS_CAP ?? 'default'}`);
console.log('| format | input | events | execs | running at the end | parked at the end | parkings | wall | CPU | peak RSS | case |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const format of formats) {
  const scaled = SCALED_WITH_LINEAGE.find((s) => s.format === format) ?? SCALED.find((s) => s.format === format);
  if (!scaled) throw new Error(`no scaled sample for ${format}`);
  const file = join(dir, `rss.${format}`);
  const db = join(dir, `rss-${format}.db`);
  try {
    // Execs per copy, from an import of 100 copies.
    writeCopies(file, scaled.copy, 100);
    const probe = importOnce(file, format, db);
    // A sample without execs would be copied without end (and fill the disk).
    if (probe.result.execs === 0) throw new Error(`100 copies of the ${format} sample hold no execs: nothing to scale`);
    const copies = Math.max(1, Math.round((target * 100) / probe.result.execs));
    writeCopies(file, scaled.copy, copies);
    const bytes = statSync(file).size;
    const loadBefore = loadNow();
    const { run, result, running } = importOnce(file, format, db);
    const size = caseSize(db);
    console.log(
      `| ${format} | ${fmt(Math.round(bytes / 1e6))} MB | ${fmt(result.events)} | ${fmt(result.execs)} | ${fmt(running[0] as number)} | ${fmt(running[1] as number)} | ${fmt(running[2] as number)} | ${run.seconds.toFixed(1)} s | ${run.cpuSeconds.toFixed(1)} s | **${Math.round(run.maxRssMb)} MB** | ${fmt(Math.round(size.bytes / 1e6))} MB |`,
    );
    console.log(`    load ${loadBefore} -> ${loadNow()}`);
  } finally {
    rmSync(file, { force: true });
    removeCase(db);
  }
}
