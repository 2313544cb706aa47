/**
 * Importing Falco alerts that share their times, the same-alert check's worst case:
 *
 *   node --import tsx bench/alerts-same-time.ts [COPIES,COPIES…]
 *
 * For each COPIES (default 1000,4000) it writes the falco.org sample alerts COPIES times over
 * with their own times (so COPIES alerts share each time), then imports into one case: that
 * export; a second whose outputs all differ (each of its alerts is compared with the first's
 * at the same time, and none is the same); and the first again with one line more (it extends
 * the first, and every alert is one the case holds). Prints wall, CPU and the alerts stored,
 * which must double with COPIES, not quadruple. Run `npm run build` first.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { benchDir, loadNow } from './lib/bench-dir.js';
import { builtCli } from './lib/built-cli.js';
import { measureCommand } from './lib/measure.js';

const SAMPLE = join(import.meta.dirname, '..', '..', 'shared', 'datasets', 'falco-doc-samples', 'falco-website-alerts.jsonl');
const copiesList = (process.argv[2] ?? '1000,4000').split(',').map(Number);
const cli = builtCli();
const dir = benchDir();
const lines = readFileSync(SAMPLE, 'utf8').split('\n').filter(Boolean);

console.log(`load ${loadNow()}`);
console.log('copies  alerts/export  import                          wall s  CPU s  alerts stored');
for (const copies of copiesList) {
  const first = join(dir, `alerts-same-time-${copies}.jsonl`);
  const second = join(dir, `alerts-same-time-${copies}-other.jsonl`);
  const longer = join(dir, `alerts-same-time-${copies}-longer.jsonl`);
  const db = join(dir, `alerts-same-time-${copies}.db`);
  const once = `${lines.join('\n')}\n`;
  writeFileSync(first, once.repeat(copies));
  writeFileSync(second, once.replace(/"output":"/g, '"output":"(another export) ').repeat(copies));
  writeFileSync(longer, `${once.repeat(copies)}${lines[0]}\n`);
  for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  for (const [what, file] of [
    ['first export', first],
    ['every output differs', second],
    ['extends the first', longer],
  ] as const) {
    const m = measureCommand(process.execPath, [cli, 'import', '-q', file, '--db', db]);
    if (m.code !== 0) throw new Error(`import of ${file} failed: ${m.stderr}`);
    const stored = new Database(db, { readonly: true }).prepare('SELECT count(*) FROM alerts').pluck().get() as number;
    console.log(
      `${String(copies).padStart(6)}  ${String(copies * lines.length).padStart(13)}  ${what.padEnd(30)}  ${m.seconds.toFixed(2).padStart(6)}  ${m.cpuSeconds.toFixed(2).padStart(5)}  ${stored}`,
    );
  }
  for (const f of [first, second, longer, db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
}
