import { appendFileSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { generateJsonl } from '../../bench/lib/generate-jsonl.js';
import { openCaseForWrite } from '../../src/db/open.js';
import { importFile } from '../../src/importer/import-file.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-case.js';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const CID = 'a1b2c3d4e5f6';
const TS = 1732900000000000000n;
const at = (ms: number): string => String(TS + BigInt(ms) * 1_000_000n);

/** Events that fill what the generator leaves out: extras, odd arguments, failed execs, side rows. */
const EDGE_EVENTS = [
  { kind: 'hostinfo', host: 'edge', ts: at(0), bootTs: at(-5000), bootId: 'b-1', cpus: 4, memoryBytes: 8 << 30 },
  { kind: 'user', host: 'edge', ts: at(0), uid: 1001, name: 'alice', gid: 1001, home: '/home/alice', shell: '/bin/zsh' },
  { kind: 'container', host: 'edge', ts: at(0), id: CID, name: 'web', image: 'nginx:1.27', privileged: true, labels: { app: 'web' } },
  { kind: 'snapshot', host: 'edge', ts: at(1), pid: 1, ppid: 0, comm: 'systemd', exe: '/sbin/init', args: [] },
  { kind: 'fork', host: 'edge', ts: at(2), pid: 100, ppid: 1, vpid: 1 },
  {
    kind: 'exec',
    host: 'edge',
    ts: at(3),
    pid: 100,
    tid: 101,
    ppid: 1,
    comm: 'sh',
    exe: 'sh',
    exepath: '/bin/sh',
    args: ['', 'a b', 'lone \ud800 half', 'nul\u0000x', 'é€😀'],
    cwd: '/srv',
    uid: 1001,
    gid: 1001,
    euid: 0,
    loginuid: 1001,
    tty: 34816,
    sid: 100,
    pgid: 100,
    vpgid: 1,
    env: ['PATH=/bin', 'LANG=C.UTF-8'],
    cgroups: [`cpu=/docker/${CID}0000000000000000000000000000000000000000000000000000`],
    exeWritable: true,
    exeUpperLayer: false,
    capPermitted: 'CAP_CHOWN CAP_KILL',
    capEffective: 'CAP_CHOWN',
    evtNum: 77,
  },
  { kind: 'exec', host: 'edge', ts: at(4), pid: 100, ok: false, errno: 2, exepath: '/nope', exe: 'nope', args: ['x y'] },
  { kind: 'fork', host: 'edge', ts: at(5), pid: 102, ppid: 100 },
  { kind: 'fork', host: 'edge', ts: at(5), pid: 100, ppid: 1, tid: 103, thread: true },
  { kind: 'alert', host: 'edge', ts: at(6), rule: 'Shell in container', priority: 'Warning', output: 'sh ran', pid: 100, containerId: CID, tags: ['t1'] },
  { kind: 'exit', host: 'edge', ts: at(7), pid: 102, code: 0 },
  { kind: 'exit', host: 'edge', ts: at(8), pid: 100, code: 137, signal: 9, core: true },
  { kind: 'exec', host: 'other', ts: at(9), pid: 7, ppid: 6, comm: 'cat', args: ['/etc/shadow'], cmdline: 'cat /etc/shadow -n', startTs: at(8) },
];

// run_ns is the import's own clock.
const ALERTS =
  'SELECT alert_id, exec_id, rule, priority, time_ns, output, output_fields_json, tags_json, source, origin, rules_file, capture_id, host_id FROM alerts ORDER BY alert_id';

const TABLES = [
  'SELECT * FROM exec_rows ORDER BY exec_id',
  'SELECT * FROM exec_extras ORDER BY exec_id',
  'SELECT * FROM execs ORDER BY exec_id',
  'SELECT * FROM processes ORDER BY process_id',
  'SELECT * FROM strings ORDER BY string_id',
  'SELECT * FROM hosts ORDER BY host_id',
  'SELECT * FROM containers ORDER BY container_id',
  'SELECT * FROM users ORDER BY rowid',
  ALERTS,
  'SELECT * FROM alert_links ORDER BY alert_id',
  'SELECT * FROM capture_hosts ORDER BY host_id',
  // Indexes kept during a load in a worker and those built after it end up the same.
  "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name",
  'SELECT event_count, process_count, exec_count, first_event_ns, last_event_ns, status, sha256 FROM captures',
];

async function dump(file: string, worker: boolean): Promise<Record<string, string>> {
  const db = openCaseForWrite(tmp.path(`${worker ? 'worker' : 'inline'}-${file.split('/').pop()}.db`));
  try {
    await importFile(db, file, { worker });
    const out: Record<string, string> = {};
    for (const sql of TABLES) {
      out[sql] = JSON.stringify(db.prepare(sql).raw().all(), (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
    }
    return out;
  } finally {
    db.close();
  }
}

describe('rows packed by the import worker', () => {
  it('land exactly as the rows written in-process, table by table (generated capture and edge cases)', async () => {
    const file = tmp.path('mixed.jsonl');
    await generateJsonl(file, { execs: 6000, seed: 11 });
    appendFileSync(file, EDGE_EVENTS.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const inline = await dump(file, false);
    const worker = await dump(file, true);
    for (const sql of TABLES) expect({ sql, rows: worker[sql] }).toEqual({ sql, rows: inline[sql] });
    expect((JSON.parse(inline['SELECT * FROM exec_extras ORDER BY exec_id'] as string) as unknown[]).length).toBeGreaterThan(0);
    expect((JSON.parse(inline[ALERTS] as string) as unknown[]).length).toBe(1);
  });

  it('fail the same way as in-process: a bad line names its line, a time out of range is refused', async () => {
    const bad = tmp.path('bad-line.jsonl');
    await generateJsonl(bad, { execs: 500, seed: 3 });
    appendFileSync(bad, '{"kind":"exec","host":"h","ts":"1","pid":1.5}\n');
    const huge = tmp.path('huge-ts.jsonl');
    writeFileSync(huge, `${JSON.stringify({ kind: 'fork', host: 'h', pid: 5, ppid: 1, ts: '99999999999999999999999' })}\n`);
    for (const file of [bad, huge]) {
      const errors: string[] = [];
      for (const worker of [false, true]) {
        const db = openCaseForWrite(tmp.path(`err-${worker}-${file.split('/').pop()}.db`));
        errors.push(
          await importFile(db, file, { worker }).then(
            () => 'imported',
            (e: unknown) => `${(e as Error).constructor.name}: ${(e as Error).message}`,
          ),
        );
        expect(db.prepare('SELECT count(*) AS n FROM exec_rows').get()).toEqual({ n: 0n });
        db.close();
      }
      expect(errors[1]).toBe(errors[0]);
      expect(errors[0]).not.toBe('imported');
    }
  });

  it('a 40 MB argument on one line (read in the worker) imports, as in one thread', async () => {
    // A bound on the worker's heap made V8 abort the whole process here (exit 134).
    const file = tmp.path('long-line.jsonl');
    await generateJsonl(file, { execs: 2000, seed: 9 });
    const arg = 'x'.repeat(40 * 1024 * 1024);
    appendFileSync(
      file,
      `${JSON.stringify({ kind: 'exec', host: 'long-line', pid: 4242, ppid: 1, comm: 'big', exe: '/big', args: [arg], ts: '1732800100000000000' })}\n`,
    );
    const r = runCli(['import', file, '--db', tmp.path('long-line.db'), '--json'], { env: { PEDIGREE_IMPORT_WORKER: '1' } });
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    const q = runCli(['query', '--db', tmp.path('long-line.db'), '--json', "SELECT length(args) AS n FROM execs WHERE pid = 4242 AND kind = 'exec'"]);
    expect(JSON.parse(q.stdout)).toEqual([{ n: arg.length }]);
  });
});
