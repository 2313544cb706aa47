import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCaseForWrite, openCaseReadOnly, type Db } from '../../src/db/open.js';
import { importFile } from '../../src/importer/import-file.js';
import { ancestorsOf, execById } from '../../src/lineage/ancestry.js';
import { tempDir } from '../support/temp-case.js';

/** The positional row mapping of the lineage queries gives every field its own column's value. */

const SAMPLE = fileURLToPath(new URL('../../samples/story.jsonl', import.meta.url));
const dir = tempDir('pedigree-exec-node-');
let db: Db;

beforeAll(async () => {
  const rw = openCaseForWrite(dir.path('story.db'));
  await importFile(rw, SAMPLE);
  rw.close();
  db = openCaseReadOnly(dir.path('story.db'));
});
afterAll(() => {
  db.close();
  dir.cleanup();
});

describe('ExecNode rows', () => {
  it('carry each column under its own name, for every exec of the sample', () => {
    const rows = db
      .prepare(
        `SELECT e.exec_id, e.process_id, e.kind, h.hostname, e.pid, e.vpid, e.ppid, e.name, e.exe, e.exepath, e.cmdline, e.cwd, e.uid,
           e.user_name, e.container_id, c.name AS container_name, c.pod_name, e.ts_ns, e.res, e.parent_exec_id,
           p.start_ns, p.end_ns, p.exit_code, p.exit_signal, p.origin
         FROM execs e JOIN processes p USING (process_id) JOIN hosts h ON h.host_id = e.host_id LEFT JOIN containers c ON c.container_id = e.container_id`,
      )
      .all() as Record<string, unknown>[];
    expect(rows.length).toBeGreaterThan(15);
    const n = (v: unknown): number | null => (v === null ? null : Number(v));
    for (const r of rows) {
      expect(execById(db, Number(r.exec_id))).toEqual({
        execId: n(r.exec_id),
        processId: n(r.process_id),
        kind: r.kind,
        host: r.hostname,
        pid: n(r.pid),
        vpid: n(r.vpid),
        ppid: n(r.ppid),
        name: r.name,
        exe: r.exe,
        exepath: r.exepath,
        cmdline: r.cmdline,
        cwd: r.cwd,
        uid: n(r.uid),
        user: r.user_name,
        containerId: r.container_id,
        containerName: r.container_name,
        podName: r.pod_name,
        tsNs: r.ts_ns,
        res: n(r.res),
        parentExecId: n(r.parent_exec_id),
        processStartNs: r.start_ns,
        processEndNs: r.end_ns,
        exitCode: n(r.exit_code),
        exitSignal: n(r.exit_signal),
        origin: r.origin,
      });
    }
    const cat = rows.find((r) => r.name === 'cat' && String(r.cmdline).includes('shadow'))!;
    expect(ancestorsOf(db, Number(cat.exec_id)).map((a) => `${a.depth}:${a.name},${a.pid}`)).toEqual([
      '0:cat,4004',
      '1:sh,4001',
      '2:nginx,2351',
      '3:nginx,2330',
      '4:containerd-shim,2301',
      '5:systemd,1',
    ]);
  });
});
