/**
 * The PostgreSQL backend against SQLite, same run, same inputs:
 *
 *   PEDIGREE_TEST_PG=postgres://…/db node --import tsx bench/pg-backend.ts [EXECS] [RULES.yaml …]
 *
 * import rate (one file; two hosts' files in parallel), every evaluable rule of the RULES files
 * (default: the three upstream files in ../shared/rules), ancestors of depth-30 execs and
 * subtrees of about 1,000 processes. PEDIGREE_PG_CONNECTIONS sets how many connections
 * evaluate rules on PostgreSQL (default one per core). The subtree is a generated build session of
 * exactly 1,000 processes (bench/lib/generate-build-tree.ts) imported into both cases after the
 * timed imports, as a later capture of the same host: the generated case has no subtree near
 * that size below the whole-host tree. Two hosts are imported in parallel twice: into one case (the
 * target's measure) and into a case each (the same work without the shared tables and indexes).
 * Inputs and SQLite cases go to a temp dir; PostgreSQL databases are created and dropped on the
 * server PEDIGREE_TEST_PG points at. Prints a Markdown table.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { finished } from 'node:stream/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openCaseReadOnly } from '../src/db/open.js';
import { openPostgresReadOnly } from '../src/db/postgres/open-postgres.js';
import { ancestorsOf } from '../src/lineage/ancestry.js';
import { descendantsOf } from '../src/lineage/descendants.js';
import { BUILD_ROOT_PID, generateBuildTree } from './lib/generate-build-tree.js';
import { generateJsonl } from './lib/generate-jsonl.js';
import { percentile } from './lib/measure.js';
import { pgServerCpu } from './lib/pg-server-cpu.js';
import { serverWrites, writesText } from './lib/pg-server-writes.js';
import { builtCli } from './lib/built-cli.js';

const BIN = builtCli();
const server = process.env.PEDIGREE_TEST_PG;
if (!server) throw new Error('set PEDIGREE_TEST_PG to a postgres:// URL (scripts/pg-cluster.sh start prints one)');
const execs = Number(process.argv[2] ?? 0) || 1_000_000;
// Every upstream rules file (stable, incubating, sandbox) unless files are named.
const rulesFiles =
  process.argv.length > 3
    ? process.argv.slice(3)
    : ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml'].map((f) =>
        fileURLToPath(new URL(`../../shared/rules/${f}`, import.meta.url)),
      );
const dir = mkdtempSync(join(tmpdir(), 'pedigree-pg-bench-'));

function dbUrl(name: string): string {
  return server!.replace(/^(postgres(?:ql)?:\/\/[^/?]*\/)([^?]*)/i, `$1${name}`);
}

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: server });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function freshDb(name: string): Promise<string> {
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin(`CREATE DATABASE ${name}`);
  return dbUrl(name);
}

function run(args: string[]): Promise<number> {
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('exit', (code) =>
      code === 0 ? resolve(Number(process.hrtime.bigint() - t0) / 1e9) : reject(new Error(`pedigree ${args.join(' ')}: exit ${code}\n${err}`)),
    );
  });
}

/** A pedigree run's wall time and its CPU (user + system, from /usr/bin/time; NaN without it). */
async function runWithCpu(args: string[]): Promise<{ wall: number; cpu: number }> {
  if (!existsSync('/usr/bin/time')) return { wall: await run(args), cpu: Number.NaN };
  const out = join(dir, 'time.txt');
  const t0 = process.hrtime.bigint();
  await new Promise<void>((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', '%U %S', '-o', out, process.execPath, BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`pedigree ${args.join(' ')}: exit ${code}\n${err}`))));
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const [user, sys] = readFileSync(out, 'utf8').trim().split('\n').pop()?.split(' ').map(Number) ?? [];
  return { wall, cpu: (user ?? Number.NaN) + (sys ?? Number.NaN) };
}

const rows: string[][] = [];
const note = (what: string, sqlite: string, postgres: string, target: string) => {
  rows.push([what, sqlite, postgres, target]);
  process.stderr.write(`${what}: SQLite ${sqlite}, PostgreSQL ${postgres} (load ${loadavg()[0]?.toFixed(1)})\n`);
};

try {
  const a = join(dir, 'host-a.jsonl');
  const b = join(dir, 'host-b.jsonl');
  await generateJsonl(a, { execs, hosts: 1, seed: 42 });
  // The second host: the same activity under another machine's name (line by line: at 1M execs
  // the file is longer than the longest string V8 makes).
  const renamed = createWriteStream(b);
  for await (const line of createInterface({ input: createReadStream(a), crlfDelay: Number.POSITIVE_INFINITY })) {
    if (!renamed.write(`${line.replaceAll('ip-10-0-0-10.eu-west-1', 'ip-10-0-9-99.eu-west-1')}\n`)) await once(renamed, 'drain');
  }
  renamed.end();
  await finished(renamed);
  const load0 = loadavg()[0]?.toFixed(1);

  const sqlite = join(dir, 'case.db');
  // CPU besides wall time: on a machine other work shares, the wall ratio says little, while the
  // CPU each import needs (pedigree's, and the local server's when it can be read) does not move.
  const serverCpu = await pgServerCpu(server);
  const cpuText = (s: number) => (Number.isNaN(s) ? '' : `, ${s.toFixed(1)} s CPU`);
  const one = await runWithCpu(['import', a, '--db', sqlite, '-q']);
  const pg1 = await freshDb('pedigree_bench_one');
  const server0 = serverCpu?.() ?? Number.NaN;
  const writes0 = await serverWrites(server);
  const onePg = await runWithCpu(['import', a, '--db', pg1, '-q']);
  const onePgServer = (serverCpu?.() ?? Number.NaN) - server0;
  const oneWrites = writesText(writes0, await serverWrites(server));
  const tSqlite = one.wall;
  const tPg = onePg.wall;
  note(
    `import ${execs.toLocaleString('en')} execs (one file)`,
    `${tSqlite.toFixed(1)} s, ${Math.round(execs / tSqlite).toLocaleString('en')} execs/s${cpuText(one.cpu)}`,
    `${tPg.toFixed(1)} s, ${Math.round(execs / tPg).toLocaleString('en')} execs/s (${((tSqlite / tPg) * 100).toFixed(0)} % of SQLite)${cpuText(onePg.cpu)}` +
      (Number.isNaN(onePgServer)
        ? ''
        : ` + ${onePgServer.toFixed(1)} s server CPU (${((one.cpu / (onePg.cpu + onePgServer)) * 100).toFixed(0)} % of SQLite's rate per CPU second)`) +
      oneWrites,
    'PG ≥ 50 % of SQLite',
  );

  // Two hosts at once: into one case, then into a case each (no table or index shared).
  const story = fileURLToPath(new URL('../samples/story.jsonl', import.meta.url));
  const parallel = async (what: string, into: [string, string]): Promise<void> => {
    for (const db of new Set(into)) await run(['import', story, '--db', db, '-q']); // schema in place first
    const server1 = serverCpu?.() ?? Number.NaN;
    const writes1 = await serverWrites(server);
    const t0 = process.hrtime.bigint();
    const both = await Promise.all([runWithCpu(['import', a, '--db', into[0], '-q']), runWithCpu(['import', b, '--db', into[1], '-q'])]);
    const tPar = Number(process.hrtime.bigint() - t0) / 1e9;
    const parServer = (serverCpu?.() ?? Number.NaN) - server1;
    note(
      what,
      '—',
      `${tPar.toFixed(1)} s, ${Math.round((2 * execs) / tPar).toLocaleString('en')} execs/s (${((2 * execs) / tPar / (execs / tPg)).toFixed(2)}× one importer)` +
        cpuText(both.reduce((sum, r) => sum + r.cpu, 0)) +
        (Number.isNaN(parServer) ? '' : ` + ${parServer.toFixed(1)} s server CPU`) +
        writesText(writes1, await serverWrites(server)),
      '≥ 1.6× one importer',
    );
  };
  const pg2 = await freshDb('pedigree_bench_two');
  await parallel('two hosts imported in parallel', [pg2, pg2]);
  const [pgA, pgB] = [await freshDb('pedigree_bench_two_a'), await freshDb('pedigree_bench_two_b')];
  await parallel('two hosts in parallel, a case each (nothing shared)', [pgA, pgB]);
  for (const name of ['pedigree_bench_two', 'pedigree_bench_two_a', 'pedigree_bench_two_b']) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);

  if (rulesFiles.every((f) => existsSync(f))) {
    const rSqlite = await run(['rules', 'run', ...rulesFiles, '--db', sqlite, '--no-save']);
    const rPg = await run(['rules', 'run', ...rulesFiles, '--db', pg1, '--no-save']);
    note('rules run (every evaluable rule)', `${rSqlite.toFixed(1)} s`, `${rPg.toFixed(1)} s (${(rPg / rSqlite).toFixed(2)}× SQLite)`, 'PG ≤ 2× SQLite');
  }

  const build = join(dir, 'build.jsonl');
  generateBuildTree(build, { host: 'ip-10-0-0-10.eu-west-1.compute.internal', processes: 1000 });
  await run(['import', build, '--db', sqlite, '-q']);
  await run(['import', build, '--db', pg1, '-q']);

  const sq = openCaseReadOnly(sqlite);
  const pq = openPostgresReadOnly(pg1).asDatabase();
  const deep = sq
    .prepare(`WITH RECURSIVE d(exec_id, depth) AS (SELECT exec_id, 0 FROM execs WHERE parent_exec_id IS NULL
      UNION ALL SELECT e.exec_id, d.depth + 1 FROM d JOIN execs e ON e.parent_exec_id = d.exec_id WHERE d.depth < 30)
    SELECT exec_id FROM d WHERE depth = 30 LIMIT 50`)
    .pluck()
    .all() as bigint[];
  const time = (fn: () => unknown): number => {
    const s = process.hrtime.bigint();
    fn();
    return Number(process.hrtime.bigint() - s) / 1e6;
  };
  for (const db of [sq, pq]) for (const id of deep.slice(0, 5)) ancestorsOf(db, Number(id)); // warm-up
  // Median wall time, and CPU per call (this process with its PostgreSQL worker thread, plus the
  // local server's when readable): on a shared machine the CPU figure is the one that holds still.
  const measure = (db: typeof sq, fn: (db: typeof sq, id: number) => unknown, ids: bigint[], reps: number, digits: number): string => {
    const cpu0 = process.cpuUsage();
    const server0 = db === pq ? (serverCpu?.() ?? Number.NaN) : 0;
    const times = ids.flatMap((id) => Array.from({ length: reps }, () => time(() => fn(db, Number(id)))));
    const used = process.cpuUsage(cpu0);
    const serverMs = ((db === pq ? (serverCpu?.() ?? Number.NaN) : 0) - server0) * 1000;
    const perCall = (ms: number) => (ms / times.length).toFixed(digits);
    const cpuMs = (used.user + used.system) / 1000;
    const cpu = db === pq ? `${perCall(cpuMs)} ms CPU + ${Number.isNaN(serverMs) ? '?' : perCall(serverMs)} ms server CPU` : `${perCall(cpuMs)} ms CPU`;
    return `${percentile(
      times.sort((x, y) => x - y),
      50,
    ).toFixed(digits)} ms (${cpu})`;
  };
  if (deep.length > 0) {
    note(`ancestors of a depth-30 exec (median of ${deep.length * 4})`, measure(sq, ancestorsOf, deep, 4, 2), measure(pq, ancestorsOf, deep, 4, 2), '< 1 ms');
  }
  // The build session's shell: the process under test, looked up on each backend.
  const buildRoot = (db: typeof sq) => db.prepare('SELECT process_id FROM processes WHERE pid = ?').pluck().all(BUILD_ROOT_PID) as bigint[];
  const [rootSq, rootPg] = [buildRoot(sq), buildRoot(pq)];
  if (rootSq.length === 1 && rootPg.length === 1) {
    const shown = (db: typeof sq, id: bigint) => JSON.stringify(descendantsOf(db, Number(id)), (_k, v) => (typeof v === 'bigint' ? String(v) : v));
    const size = descendantsOf(sq, Number(rootSq[0])).length;
    // Both cases were filled from the same files in the same order, so their ids agree too.
    if (shown(sq, rootSq[0] as bigint) !== shown(pq, rootPg[0] as bigint)) throw new Error('the subtree differs between SQLite and PostgreSQL');
    for (let i = 0; i < 5; i++) {
      descendantsOf(sq, Number(rootSq[0])); // warm
      descendantsOf(pq, Number(rootPg[0]));
    }
    note(
      `subtree of ${size.toLocaleString('en')} processes, depth 5 (median of 31, warm)`,
      measure(sq, (d, id) => descendantsOf(d, id), rootSq, 31, 1),
      measure(pq, (d, id) => descendantsOf(d, id), rootPg, 31, 1),
      '1,000 processes < 20 ms',
    );
  }
  sq.close();
  pq.close();

  console.log(`load average at start ${load0}, at end ${loadavg()[0]?.toFixed(1)} (2 cores)\n`);
  console.log('| measure | SQLite | PostgreSQL | target |\n|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
} finally {
  rmSync(dir, { recursive: true, force: true });
  for (const name of ['pedigree_bench_one', 'pedigree_bench_two', 'pedigree_bench_two_a', 'pedigree_bench_two_b'])
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
}
