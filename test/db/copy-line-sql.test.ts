import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseSchema } from '../../src/db/case-schema.js';
import { type Db, openCaseForWrite } from '../../src/db/open.js';
import { copyLineSql } from '../../src/db/postgres/copy-line-sql.js';
import { copyLineEncoder } from '../../src/db/postgres/copy-row-encoder.js';
import type { IdKind, IdMap } from '../../src/db/postgres/id-remap.js';
import { importFile } from '../../src/importer/import-file.js';
import { tempDir } from '../support/temp-case.js';

/**
 * An import into PostgreSQL has SQLite write each row's COPY line. Those lines must be the ones
 * the JavaScript encoder writes for the same rows, byte for byte: real captures from every kind
 * of reader, and rows holding what an attacker may write (tabs, newlines, backslashes, NULs,
 * text where a number belongs), with ids kept and with ids moved.
 */
const SHARED = fileURLToPath(new URL('../../../shared/', import.meta.url));
const INPUTS = [
  'captures/falco__psp_privileged.scap',
  'captures/bencer-examples__example0_nginx_v2.scap',
  'datasets/otrf/log4shell/syslog_sysmon_log4shell_cve2021_44228_jndi_reference_2022-05-11181020.json',
  'datasets/tetragon/docs-sec-obs-ch3/00_process_lifecycle/cat_process_exec.json',
].map((p) => join(SHARED, p));
const HAVE_SHARED = INPUTS.every((p) => existsSync(p));
if (!HAVE_SHARED) console.warn(`SKIPPING the real captures in the COPY line parity test: ${SHARED} is absent`);

const tmp = tempDir('pedigree-copy-line-');
afterAll(() => tmp.cleanup());

function insertHostileRows(db: Db): void {
  db.exec(`INSERT INTO hosts (hostname) VALUES ('hostile')`);
  const host = db.prepare(`SELECT host_id FROM hosts WHERE hostname = 'hostile'`).pluck().get();
  db.prepare(`INSERT INTO captures (path, sha256, size_bytes, format, importer, imported_ns, status, content_checkpoints)
              VALUES ('a\tb\nc\\d', 'x', 1, 'jsonl', 'test', 1, 'complete', x'00ff10')`).run();
  const capture = db.prepare('SELECT max(capture_id) FROM captures').pluck().get();
  const base = 900_000;
  const add = db.prepare(`INSERT INTO processes (process_id, capture_id, host_id, pid, parent_process_id, container_id, origin)
                          VALUES (?, ?, ?, ?, ?, ?, 'fork')`);
  add.run(base, capture, host, 1, null, 'c\\t1');
  add.run(base + 1, capture, host, 'not\ta\nnumber', base, null);
  const exec = db.prepare(`INSERT INTO execs (exec_id, process_id, capture_id, host_id, kind, pid, parent_exec_id, name, args, cmdline, argv_json, cwd, env,
                             cgroups, uid, euid, user_name, container_id, evt_type, ts_ns)
                           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  exec.run(
    base,
    base,
    capture,
    host,
    'exec',
    1,
    null,
    'sh',
    '-c\tx',
    'sh -c\tx',
    null,
    '/tmp\nfake\t1',
    'A=1\0B=\\2',
    'cpu:/\0mem:/',
    0,
    0,
    'root',
    'c\\t1',
    'execve',
    9_007_199_254_740_993n,
  );
  exec.run(base + 1, base + 1, capture, host, 'fork', 2, base, 'é 𝄞', 'a b', 'é 𝄞 a b', '["a b","\\\\"]', '\\', null, null, '7\t8', 5, null, null, null, -1);
  exec.run(base + 2, base + 1, capture, host, 'inferred', 3, base + 1, null, null, null, null, null, '', '', null, null, null, null, null, null);
  // NULs in text values: PostgreSQL's text cannot hold them (pg-text-nul.ts).
  exec.run(base + 3, base + 1, capture, host, 'exec', 3, base + 1, 'n\0ul', 'a\0b', 'n\0ul a\0b', null, '/x\0', 'Z=\0', null, null, null, 'r\0', null, null, 7);
}

const KEPT = new Map<IdKind, IdMap>();
const MOVED = new Map<IdKind, IdMap>([
  ['exec', { offset: 1_000_000n, keepUpTo: 3n }],
  ['process', { offset: 77n }],
  ['capture', { offset: 5n, keepUpTo: 1n }],
  ['host', { offset: 2n }],
  ['alert', { offset: 9n }],
]);

describe('COPY lines written by SQLite', () => {
  let db: Db;
  beforeAll(async () => {
    db = openCaseForWrite(tmp.path('case.db'));
    if (HAVE_SHARED) for (const input of INPUTS) await importFile(db, input);
    insertHostileRows(db);
  }, 120_000);
  afterAll(() => db.close());

  for (const [label, maps] of [
    ['ids kept', KEPT],
    ['ids moved', MOVED],
  ] as const) {
    it(`are the JavaScript encoder's lines for every table, ${label}`, () => {
      let compared = 0;
      for (const table of caseSchema().tables) {
        const bySql = copyLineSql(db, table, 'm', maps);
        if (table.columns.some((c) => c.name === 'path_json')) {
          expect(bySql, table.name).toBeNull();
          continue;
        }
        if (bySql === null) throw new Error(`${table.name}: no SQL encoding`);
        const cols = table.columns.map((c) => `"${c.name}"`).join(', ');
        const order = table.primaryKey.length > 0 ? table.primaryKey.map((k) => `"${k}"`).join(', ') : 'rowid';
        const fromSql = db.prepare(`SELECT ${bySql.line} FROM "${table.name}" m ORDER BY ${order}`).pluck().all(bySql.params) as string[];
        const encode = copyLineEncoder(table, maps);
        const fromJs = (db.prepare(`SELECT ${cols} FROM "${table.name}" ORDER BY ${order}`).raw(true).all() as unknown[][]).map(encode);
        expect(fromSql, table.name).toEqual(fromJs);
        compared += fromSql.length;
      }
      expect(compared).toBeGreaterThan(HAVE_SHARED ? 300 : 10);
      // The view's rarer columns were read too: extras rows, argv kept apart from args.
      expect(db.prepare('SELECT count(*) FROM exec_extras').pluck().get()).toBeGreaterThan(0);
      expect(db.prepare('SELECT count(*) FROM exec_rows WHERE arg_lengths IS NOT NULL').pluck().get()).toBeGreaterThan(0);
    });
  }

  it('escape what a reader stored where a number belongs, so it cannot end a field or a line', () => {
    const processes = caseSchema().tables.find((t) => t.name === 'processes');
    const bySql = processes && copyLineSql(db, processes, 'm', KEPT);
    const line = db
      .prepare(`SELECT ${bySql?.line} FROM processes m WHERE process_id = 900001`)
      .pluck()
      .get(bySql?.params ?? {}) as string;
    expect(line.split('\t')).toHaveLength(processes?.columns.length ?? 0);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(line).toContain('not\\ta\\nnumber');
  });
});
