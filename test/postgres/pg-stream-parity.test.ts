import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { caseSchema } from '../../src/db/case-schema.js';
import { freshPgDatabase, PG_TEST_URL, pgQuery, warnSkippedWithoutPg } from '../support/pg-test.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-case.js';

/**
 * A host's first import into PostgreSQL streams its exec and process rows straight into COPY;
 * PEDIGREE_PG_STREAM=0 sends them through the scratch case as before. Both must leave the same
 * rows in every table, ids included: real captures of every kind of reader, the generated JSON
 * lines read in the import worker and in one thread, hostile values, a case already holding
 * another host (ids moved into the sequences' blocks), and a host the case already holds (which
 * goes the scratch way and merges).
 */
warnSkippedWithoutPg('streamed PostgreSQL imports against the scratch path');
const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
const STORY = fileURLToPath(new URL('../../samples/story.jsonl', import.meta.url));
const REAL = [
  'captures/falco__psp_privileged.scap',
  'captures/bencer-examples__example0_nginx_v2.scap',
  'captures/sfcollector__mpm-preforked_full_capture.scap',
  'datasets/otrf/log4shell/syslog_sysmon_log4shell_cve2021_44228_jndi_reference_2022-05-11181020.json',
  'datasets/tetragon/testdata/events.json',
].map((p) => join(SHARED, p));
const HAVE_SHARED = REAL.every((p) => existsSync(p));
if (!HAVE_SHARED) console.warn(`SKIPPING the real captures in the streamed import parity test: ${SHARED} is absent`);

const tmp = tempDir('pedigree-pg-stream-');
afterAll(() => tmp.cleanup());

/** Exec events whose values an attacker chose: COPY's separators and escapes, NULs in environments, lossy argv. */
function hostileJsonl(): string {
  const path = tmp.path('hostile.jsonl');
  const ev = (o: Record<string, unknown>) => JSON.stringify({ host: 'hostile\tbox', ts: '1732800000000000000', ...o });
  writeFileSync(
    path,
    [
      ev({ kind: 'snapshot', pid: 1, ppid: 0, comm: 'init', exe: '/sbin/init', args: [], uid: 0 }),
      ev({ kind: 'fork', pid: 40, ppid: 1, ts: '1732800000000000100' }),
      ev({
        kind: 'exec',
        pid: 40,
        ppid: 1,
        ts: '1732800000000000200',
        comm: 'sh\\x',
        exe: 'sh\ttab',
        exepath: '/bin/sh\nnl',
        args: ['-c', 'echo a\tb', '', 'x y'],
        cwd: '/tmp\\dir\r',
        env: ['A=1', 'B=\\2\t'],
        uid: 0,
        user: 'root\n',
      }),
      ev({ kind: 'exec', pid: 40, ppid: 1, ts: '1732800000000000300', comm: 'nul', exe: '/x', args: ['a\\0b', 'c d'], env: ['Z=\u00e9\u{1f600}', 'N=\u0000'] }),
      ev({ kind: 'exec', pid: 40, ppid: 1, ts: '1732800000000000400', comm: 'emoji', exe: '/\u{1f600}', args: ['\u{1f600} \u{1f600}', ''] }),
      ev({ kind: 'exec', pid: 40, ppid: 1, ts: '1732800000000000450', comm: 'quotes', exe: '/q', args: ['say "hi"', 'back\\slash', '', '\u0001 \u007f'] }),
      ev({ kind: 'exit', pid: 40, ts: '1732800000000000500', exitCode: 3 }),
    ]
      .join('\n')
      .concat('\n'),
  );
  return path;
}

function generatedJsonl(): string {
  const path = tmp.path('generated.jsonl');
  const gen = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../../bench/generate-jsonl.ts', import.meta.url)), path, '3000'], {
    encoding: 'utf8',
  });
  expect({ code: gen.status, stderr: gen.stderr }).toEqual({ code: 0, stderr: '' });
  return path;
}

/** Every table's rows, in one order; the captures' import times (the clock) left out. */
async function tables(url: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of caseSchema().tables) {
    const cols = t.columns.filter((c) => !(t.name === 'captures' && c.name === 'imported_ns')).map((c) => `"${c.name}"`);
    const r = await pgQuery(url, `SELECT ROW(${cols.join(', ')})::text AS row FROM "${t.name}" ORDER BY 1`);
    out[t.name] = r.rows.map((row) => String(row.row));
  }
  for (const seq of ['processes_process_id_seq', 'execs_exec_id_seq', 'hosts_host_id_seq', 'captures_capture_id_seq']) {
    const r = await pgQuery(url, `SELECT last_value, is_called FROM ${seq}`);
    out[seq] = [JSON.stringify(r.rows[0])];
  }
  return out;
}

/** Imports a file; says whether its rows were streamed (the import's timing lines name the streamed steps). */
function importInto(url: string, file: string, env: Record<string, string>): boolean {
  const r = runCli(['import', '-q', file, '--db', url], { env: { ...env, PEDIGREE_TIMING: '1' } });
  const stderr = r.stderr.replace(/^timing: .*\n/gm, '');
  expect({ file, code: r.code, stderr }).toEqual({ file, code: 0, stderr: '' });
  return /^timing: import, COPY execs /m.test(r.stderr) && /^timing: copy the rest, commit /m.test(r.stderr);
}

/**
 * Imports `files` one after another into two fresh cases, streamed and not, and compares them.
 * Returns which imports were streamed.
 */
async function compare(files: string[], env: Record<string, string> = {}): Promise<boolean[]> {
  const streamed = await freshPgDatabase();
  const scratch = await freshPgDatabase();
  try {
    const ways = files.map((f) => {
      const way = importInto(streamed.url, f, env);
      expect(importInto(scratch.url, f, { ...env, PEDIGREE_PG_STREAM: '0' })).toBe(false);
      return way;
    });
    const [a, b] = [await tables(streamed.url), await tables(scratch.url)];
    expect(a.execs?.length ?? 0).toBeGreaterThan(0);
    for (const name of Object.keys(b)) expect({ table: name, rows: a[name] }).toEqual({ table: name, rows: b[name] });
    return ways;
  } finally {
    await streamed.drop();
    await scratch.drop();
  }
}

describe.skipIf(!PG_TEST_URL)('a host first imported into PostgreSQL: streamed rows are the scratch path rows', () => {
  it('hostile values, after another host (ids moved), then the same host again (merged the scratch way)', async () => {
    const hostile = hostileJsonl();
    const again = tmp.path('hostile-again.jsonl');
    writeFileSync(
      again,
      `${JSON.stringify({ kind: 'exec', host: 'hostile\tbox', pid: 41, ppid: 1, ts: '1732800000000000600', comm: 'late', exe: '/late', args: ['a'] })}\n`,
    );
    expect(await compare([STORY, hostile, again])).toEqual([true, true, false]);
  });

  it('generated JSON lines, read in the import worker and in one thread, and gzipped', async () => {
    const generated = generatedJsonl();
    expect(await compare([STORY, generated], { PEDIGREE_IMPORT_WORKER: '1' })).toEqual([true, true]);
    expect(await compare([generated], { PEDIGREE_IMPORT_WORKER: '0' })).toEqual([true]);
    const gz = tmp.path('generated.jsonl.gz');
    writeFileSync(gz, gzipSync(readFileSync(generated)));
    expect(await compare([gz])).toEqual([true]);
  }, 120_000);

  it.skipIf(!HAVE_SHARED)(
    'real .scap, Sysmon and Tetragon captures, one after another',
    async () => {
      expect(await compare(REAL)).toEqual(REAL.map(() => true));
    },
    180_000,
  );
});
