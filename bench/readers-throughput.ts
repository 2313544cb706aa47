/**
 * Throughput of each text reader end to end into the case database:
 *
 *   node --import tsx bench/readers-throughput.ts [TARGET_EVENTS] [FORMAT,FORMAT…] [--parse-only]
 *
 * With --parse-only, only the reader's own cost is measured (read + parse, then read + parse +
 * link with no database), not the import: the parse side apart from the write side. Each reader is
 * measured in a Node process of its own, as an import runs it: in one process, a reader run after
 * others inherits their heap (and the inputs just written) and finds the helpers they share
 * (line splitter, record loop, batcher) compiled for several readers' callbacks and event shapes,
 * which moved a reader's rate by -20 % to +20 % with its place in the order. --same-process
 * measures them all in this process, one after the other, as before.
 *
 * For each format it writes a scaled-up copy of the real samples (bench/readers-scale.ts) to
 * /tmp/pedigree-bench (PEDIGREE_BENCH_DIR), times the reader alone on it (read, split, parse into
 * events: the format's ceiling), then imports it into a new case with `pedigree import` (the
 * whole command: start-up, hash, read, link, write, index build, merge step, commit) and prints
 * events per second of wall time. Run `npm run build` first so the command starts from compiled
 * JavaScript.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { readerByName } from '../src/capture/formats.js';
import { openCaseForWrite } from '../src/db/open.js';
import { importFile } from '../src/importer/import-file.js';
import { lineBatches } from '../src/capture/line-splitter.js';
import { hashInLine, plainFileChunks } from '../src/importer/plain-file-chunks.js';
import { Linker, type RowSink } from '../src/linker/linker.js';
import { benchDir, loadNow } from './lib/bench-dir.js';
import { caseSize, removeCase } from './lib/case-size.js';
import { measureCommand } from './lib/measure.js';
import { SCALED } from './readers-scale.js';
import { builtCli } from './lib/built-cli.js';

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const parseOnly = process.argv.includes('--parse-only');
const sameProcess = process.argv.includes('--same-process');
const target = Number(args[0] ?? 500_000);
const only = args[1]?.split(',');
const out = benchDir();
// Only the import needs the compiled CLI; the parse side runs the sources in this process.
const BIN = parseOnly ? '' : builtCli();

/** Rows the linker makes, counted and dropped: linking without the database. */
class CountingSink implements RowSink {
  execs = 0;
  processes = 0;
  exec(): void {
    this.execs++;
  }
  process(): void {
    this.processes++;
  }
  container(): void {}
  user(): void {}
  hostInfo(): void {}
  alert(): void {}
}

/** The file as an import reads a plain file: chunks in one reused buffer (hashing left out). */
const plainFile = (path: string): AsyncIterable<Buffer> => plainFileChunks(path, hashInLine({ update() {} }), () => {});

/** The reader alone (bytes to events), or with `link` the reader and the linker: no database either way. */
async function readerOnly(format: string, path: string, link = false): Promise<{ seconds: number; events: number; execs: number }> {
  const reader = readerByName(format);
  if (!reader) throw new Error(`no reader ${format}`);
  const cpu0 = process.cpuUsage();
  let events = 0;
  const sink = new CountingSink();
  const linker = link ? new Linker(sink, { firstProcessId: 1, firstExecId: 1 }) : null;
  const ctx = { file: path, skipBad: false, options: {}, warn() {}, markTruncated() {}, setCaptureInfo() {} };
  for await (const batch of reader.read({ stream: plainFile(path), path, siblings: [] }, ctx)) {
    events += batch.length;
    if (linker) for (const ev of batch) linker.push(ev);
  }
  linker?.finish();
  const cpu = process.cpuUsage(cpu0);
  // CPU time, not wall: on a shared machine it is what stays comparable.
  return { seconds: (cpu.user + cpu.system) / 1e6, events, execs: sink.execs };
}

const rows: string[] = [];
const parseRows: string[] = [];
for (const f of SCALED.filter((s) => !only || only.includes(s.format))) {
  const input = join(out, `readers-${f.format}-${target}.txt`);
  if (parseOnly && existsSync(input)) {
    parseRows.push(await parseSide(f.format, input));
    continue;
  }
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

  if (parseOnly) {
    parseRows.push(await parseSide(f.format, input));
    continue;
  }
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

/** The floor under any reader of a line format: reading and splitting lines, and (JSON formats) JSON.parse of each. */
async function lineFloor(path: string): Promise<{ splitSeconds: number; jsonSeconds: number | null; lines: number }> {
  let cpu0 = process.cpuUsage();
  let count = 0;
  for await (const lines of lineBatches(plainFile(path))) count += lines.length;
  let cpu = process.cpuUsage(cpu0);
  const splitSeconds = (cpu.user + cpu.system) / 1e6;
  cpu0 = process.cpuUsage();
  try {
    for await (const lines of lineBatches(plainFile(path))) for (const l of lines) if (l.text !== '') JSON.parse(l.text);
  } catch {
    return { splitSeconds, jsonSeconds: null, lines: count }; // not one JSON value per line
  }
  cpu = process.cpuUsage(cpu0);
  return { splitSeconds, jsonSeconds: (cpu.user + cpu.system) / 1e6, lines: count };
}

/** One reader's parse side, measured in a process of its own unless --same-process. */
async function parseSide(format: string, input: string): Promise<string> {
  if (sameProcess) return parseRow(format, input);
  const run = spawnSync(process.execPath, [...process.execArgv, import.meta.filename, String(target), format, '--parse-only', '--same-process'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, PEDIGREE_BENCH_DIR: out },
  });
  if (run.status !== 0) throw new Error(`the ${format} parse run failed (exit ${run.status})`);
  const row = run.stdout.trim().split('\n').at(-1);
  if (!row?.startsWith(`| ${format} |`)) throw new Error(`the ${format} parse run printed no row`);
  return row;
}

/** One reader's parse side: alone, and with the linker, as events per CPU-second and CPU µs per exec row. */
async function parseRow(format: string, input: string): Promise<string> {
  const load = loadNow();
  const alone = await readerOnly(format, input);
  const linked = await readerOnly(format, input, true);
  const floor = await lineFloor(input);
  const bytes = statSync(input).size;
  const perExec = (seconds: number): string => (linked.execs > 0 ? ((seconds * 1e6) / linked.execs).toFixed(1) : '–');
  const perEvent = (n: number): string => (n / alone.events).toFixed(2);
  const row = `| ${format} | ${(bytes / 1e6).toFixed(1)} MB | ${linked.execs > 0 ? Math.round(bytes / linked.execs).toLocaleString('en') : '–'} B | ${Math.round(bytes / alone.events).toLocaleString('en')} B / ${perEvent(floor.lines)} | ${alone.events.toLocaleString('en')} | ${linked.execs.toLocaleString('en')} | ${Math.round(alone.events / alone.seconds).toLocaleString('en')} (${(bytes / 1e6 / alone.seconds).toFixed(0)} MB/s) | ${Math.round(linked.events / linked.seconds).toLocaleString('en')} | ${perExec(alone.seconds)} / ${perExec(linked.seconds - alone.seconds)} | ${(bytes / 1e6 / floor.splitSeconds).toFixed(0)} MB/s | ${floor.jsonSeconds === null ? '–' : `${Math.round(alone.events / floor.jsonSeconds).toLocaleString('en')} (${(bytes / 1e6 / floor.jsonSeconds).toFixed(0)} MB/s)`} | ${load}–${loadNow()} |`;
  console.error(row);
  return row;
}

if (parseRows.length > 0) {
  console.log(
    '| reader | input | input per exec | per event: bytes / lines | events | exec rows | parse, events per CPU-s | parse + link, events per CPU-s | CPU µs per exec: parse / link | lines split alone | split + JSON.parse, events per CPU-s | load |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of parseRows) console.log(r);
}
if (rows.length > 0)
  console.log(
    '| reader | input | input per exec | events | exec rows | reader alone, events per CPU-s | import wall | import events/s | ≥ 100,000/s | case B/exec | load |',
  );
if (rows.length > 0) console.log('|---|---:|---:|---:|---:|---:|---:|---:|:-:|---:|---:|');
for (const r of rows) console.log(r);
