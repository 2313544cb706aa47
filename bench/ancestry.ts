/**
 * Ancestors of depth-30 execs and descendants of ~1,000-process subtrees on a large case.
 *
 *   node --import tsx bench/ancestry.ts bench/out/gen-5000000.db
 *
 * Times the same functions the CLI and the TUI call (src/lineage), after a warm-up.
 */
import Database from 'better-sqlite3';
import { ancestorsOf } from '../src/lineage/ancestry.js';
import { descendantsOf } from '../src/lineage/descendants.js';
import { openCaseReadOnly } from '../src/db/open.js';
import { percentile } from './lib/measure.js';

const path = process.argv[2];
if (!path) throw new Error('usage: bench/ancestry.ts CASE.db');
const db = openCaseReadOnly(path);
const stats = db.prepare('SELECT (SELECT count(*) FROM processes) p, (SELECT max(exec_id) FROM execs) e').get() as { p: bigint; e: bigint };
const maxExec = Number(stats.e);

let seed = 1;
const rand = (n: number): number => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed % n;
};

// Depths of every exec in one pass (a parent's image always has a smaller id than its child's).
const depth = new Int16Array(maxExec + 1).fill(-1);
const walk = new Database(path, { readonly: true }).defaultSafeIntegers(false);
for (const [id, parent] of walk.prepare('SELECT exec_id, parent_exec_id FROM execs ORDER BY exec_id').raw().iterate() as Iterable<[number, number | null]>) {
  depth[id] = parent === null ? 0 : (depth[parent] ?? -1) + 1;
}
const atDepth30: number[] = [];
for (let id = 1; id <= maxExec; id++) if (depth[id] === 30) atDepth30.push(id);
const deep = Array.from({ length: Math.min(300, atDepth30.length) }, () => atDepth30[rand(atDepth30.length)] as number);
const time = (fn: () => unknown): number => {
  const t0 = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t0) / 1e6;
};
const anc = deep.flatMap((id) => [0, 1, 2, 3].map(() => time(() => ancestorsOf(db, id)))).sort((a, b) => a - b);

// ~1,000-process subtrees: processes with many children, sized with a bounded walk
const raw = new Database(path, { readonly: true });
const candidates = raw
  .prepare(
    'SELECT parent_process_id AS id, count(*) AS n FROM processes WHERE parent_process_id IS NOT NULL GROUP BY parent_process_id HAVING n BETWEEN 200 AND 1200',
  )
  .all() as { id: number }[];
const subtrees: { id: number; size: number }[] = [];
for (let i = 0; i < candidates.length && subtrees.length < 100; i++) {
  const c = candidates[rand(candidates.length)] as { id: number };
  const size = descendantsOf(db, Number(c.id), { limit: 1300 }).length;
  if (size >= 800 && size <= 1200) subtrees.push({ id: Number(c.id), size });
}
const desc = subtrees.flatMap((s) => [0, 1, 2].map(() => time(() => descendantsOf(db, s.id)))).sort((a, b) => a - b);
const avgSize = subtrees.reduce((a, s) => a + s.size, 0) / Math.max(1, subtrees.length);

const f = (ms: number): string => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`);
process.stdout.write(
  [
    `case: ${path}, ${Number(stats.p).toLocaleString('en-US')} processes, ${maxExec.toLocaleString('en-US')} exec ids`,
    '| query | samples | median | p90 | p99 |',
    '|---|---:|---:|---:|---:|',
    `| ancestors of a depth-30 exec (31 rows; ${atDepth30.length.toLocaleString('en-US')} such execs in the case) | ${anc.length} | ${f(percentile(anc, 50))} | ${f(percentile(anc, 90))} | ${f(percentile(anc, 99))} |`,
    `| descendants of a ${Math.round(avgSize)}-process subtree | ${desc.length} | ${f(percentile(desc, 50))} | ${f(percentile(desc, 90))} | ${f(percentile(desc, 99))} |`,
  ].join('\n') + '\n',
);
