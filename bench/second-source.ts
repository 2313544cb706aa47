/**
 * A second source of the same execs: what merging costs per exec the case already holds.
 *
 *   node --import tsx bench/second-source.ts [EXECS,EXECS…]      (default 100000,200000)
 *
 * For each EXECS it generates a JSON-lines capture (bench/lib/generate-jsonl.ts), writes the same
 * file without its first line (new evidence to the case, not a copy or a prefix of the first),
 * imports the first into a new case and then the second, and prints both imports' wall and CPU
 * time, the execs the second found already held, and its CPU beyond the first's per such exec.
 * Run `npm run build` first.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchDir, loadNow } from './lib/bench-dir.js';
import { builtCli } from './lib/built-cli.js';
import { generateJsonl } from './lib/generate-jsonl.js';
import { measureCommand } from './lib/measure.js';

const sizes = (process.argv[2] ?? '100000,200000').split(',').map(Number);
const cli = builtCli();
const dir = benchDir();

console.log(`load ${loadNow()}`);
console.log('| execs | first import | second source | execs known | per known exec, beyond the first import |');
console.log('|---:|---:|---:|---:|---:|');
for (const execs of sizes) {
  const first = join(dir, `second-source-${execs}.jsonl`);
  const second = join(dir, `second-source-${execs}-b.jsonl`);
  const db = join(dir, `second-source-${execs}.db`);
  await generateJsonl(first, { execs });
  const text = readFileSync(first, 'utf8');
  writeFileSync(second, text.slice(text.indexOf('\n') + 1));
  for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  const a = measureCommand(process.execPath, [cli, 'import', '-q', first, '--db', db, '--json']);
  const b = measureCommand(process.execPath, [cli, 'import', '-q', second, '--db', db, '--json']);
  if (a.code !== 0 || b.code !== 0) throw new Error(`import failed: ${a.stderr}${b.stderr}`);
  const known = (JSON.parse(b.stdout) as { known_execs?: number }[])[0]?.known_execs ?? 0;
  // What the second import costs beyond the first, for each exec it found already held.
  const perExec = known > 0 ? `${(((b.cpuSeconds - a.cpuSeconds) / known) * 1e6).toFixed(0)} µs CPU more` : '–';
  console.log(
    `| ${execs.toLocaleString('en')} | ${a.seconds.toFixed(2)} s (${a.cpuSeconds.toFixed(2)} s CPU) | ${b.seconds.toFixed(2)} s (${b.cpuSeconds.toFixed(2)} s CPU) | ${known.toLocaleString('en')} | ${perExec} |`,
  );
  for (const f of [first, second, db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
}
