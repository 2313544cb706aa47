/**
 * Throughput of each text reader end to end into the case database:
 *
 *   node --import tsx bench/readers-throughput.ts [TARGET_EVENTS] [FORMAT,FORMAT…]
 *
 * For each format it writes a scaled-up copy of the real samples (bench/readers-scale.ts) to
 * /tmp/pedigree-bench (PEDIGREE_BENCH_DIR), times the reader alone on it (read, split, parse into
 * events: the format's ceiling), then imports it into a new case with `pedigree import` (the
 * whole command: start-up, hash, read, link, write, index build, merge step, commit) and prints
 * events per second of wall time. Run `npm run build` first so the command starts from compiled
 * JavaScript.
 */
import { closeSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { readerByName } from '../src/capture/formats.js';
import { openCaseForWrite } from '../src/db/open.js';
import { importFile } from '../src/importer/import-file.js';
import { openContent } from '../src/importer/open-input.js';
import { benchDir, loadNow } from './lib/bench-dir.js';
import { caseSize, removeCase } from './lib/case-size.js';
import { measureCommand } from './lib/measure.js';
import { SCALED } from './readers-scale.js';

const target = Number(process.argv[2] ?? 500_000);
const only = process.argv[3]?.split(',');
const out = benchDir();
const BIN = join(import.meta.dirname, '..', 'bin', 'pedigree.js');

/** The reader alone: bytes to events, no linker and no database. */
async function readerOnly(format: string, path: string): Promise<{ seconds: number; events: number }> {
  const reader = readerByName(format);
  if (!reader) throw new Error(`no reader ${format}`);
  const cpu0 = process.cpuUsage();
  let events = 0;
  const ctx = { file: path, skipBad: false, options: {}, warn() {}, markTruncated() {}, setCaptureInfo() {} };
  for await (const batch of reader.read({ stream: openContent(path, false, () => {}), path, siblings: [] }, ctx)) events += batch.length;
  const cpu = process.cpuUsage(cpu0);
  // CPU time, not wall: on a shared machine it is what stays comparable.
  return { seconds: (cpu.user + cpu.system) / 1e6, events };
}

const rows: string[] = [];
for (const f of SCALED.filter((s) => !only || only.includes(s.format))) {
  const input = join(out, `readers-${f.format}.txt`);
  // events per copy, measured on a small import first
  const probe = join(out, `probe-${f.format}.txt`);
  writeFileSync(probe, f.copy(0) + f.copy(1));
  const probeDb = join(out, `probe-${f.format}.db`);
  removeCase(probeDb);
  const pdb = openCaseForWrite(probeDb);
  const per = (await importFile(pdb, probe, { format: f.format, worker: false })).events / 2;
  pdb.close();
  removeCase(probeDb);
  rmSync(probe, { force: true });

  const copies = Math.ceil(target / per);
  const fd = openSync(input, 'w');
  let chunk = '';
  for (let i = 0; i < copies; i++) {
    chunk += f.copy(i);
    if (chunk.length > 1 << 20) {
      writeSync(fd, chunk);
      chunk = '';
    }
  }
  writeSync(fd, chunk);
  closeSync(fd);

  const load = loadNow();
  const alone = await readerOnly(f.format, input);
  const dbPath = join(out, `readers-${f.format}.db`);
  removeCase(dbPath);
  // The real command, as a user runs it (compiled dist/ when built), under /usr/bin/time.
  const run = measureCommand(process.execPath, [BIN, 'import', input, '--format', f.format, '--db', dbPath, '--json', '-q']);
  if (run.code !== 0) throw new Error(run.stderr);
  const r = (JSON.parse(run.stdout) as { events: number; processes: number }[])[0] as { events: number; processes: number };
  const secs = run.seconds;
  const mb = statSync(input).size / 1e6;
  const rate = Math.round(r.events / secs);
  const cs = caseSize(dbPath);
  const perExec = cs.execRows > 0 ? `${Math.round((mb * 1e6) / cs.execRows).toLocaleString('en')} B` : '–';
  rows.push(
    `| ${f.format} | ${mb.toFixed(1)} MB | ${perExec} | ${r.events.toLocaleString('en')} | ${cs.execRows.toLocaleString('en')} | ${Math.round(alone.events / alone.seconds).toLocaleString('en')} (${(mb / alone.seconds).toFixed(0)} MB/s) | ${secs.toFixed(2)} s (${run.cpuSeconds.toFixed(2)} s CPU) | **${rate.toLocaleString('en')}** (${Math.round(r.events / run.cpuSeconds).toLocaleString('en')} per CPU-s) | ${rate >= 100_000 ? 'yes' : 'NO'} | ${Number.isNaN(cs.bytesPerExec) ? '–' : cs.bytesPerExec.toFixed(0)} | ${load} |`,
  );
  console.error(rows.at(-1));
  removeCase(dbPath);
  rmSync(input, { force: true });
}
console.log(
  '| reader | input | input per exec | events | exec rows | reader alone, events per CPU-s | import wall | import events/s | ≥ 100,000/s | case B/exec | load |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|:-:|---:|---:|');
for (const r of rows) console.log(r);
