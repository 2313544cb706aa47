import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HAVE_DATASETS, newCase, proc, processes, sample } from '../readers/sample-case.js';
import { runCli } from '../support/run-cli.js';

const LIFECYCLE = 'tetragon/docs-sec-obs-ch3/00_process_lifecycle';

function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? jsonFiles(p) : p.endsWith('.json') ? [p] : [];
    });
}

/** Pretty-printed Tetragon events as one JSON-lines file: the same events in one capture. */
function asOneFile(files: string[], out: string): string {
  writeFileSync(out, `${files.map((f) => JSON.stringify(JSON.parse(readFileSync(f, 'utf8')))).join('\n')}\n`);
  return out;
}

describe.skipIf(!HAVE_DATASETS)('merging across files of one host', () => {
  let c: ReturnType<typeof newCase>;
  afterEach(() => c?.close());

  it('Tetragon exec and exit as two files: cat 38313 is one process running cat, closed by the exit', async () => {
    const files = [sample(`${LIFECYCLE}/cat_process_exec.json`), sample(`${LIFECYCLE}/cat_process_exit.json`)];
    c = newCase();
    await c.import(files[0]!);
    const exit = await c.import(files[1]!);
    expect(exit).toMatchObject({ processes: 0, execs: 0, execsKnown: 1 });
    const two = processes(c.db);
    const cat = proc(two, 38313);
    expect(cat.images.at(-1)).toMatchObject({ kind: 'exec', name: 'cat' });
    expect(cat.exitCode).toBe(0);
    expect(cat.parentPid).toBe(38312);
    const sources = c.db.prepare('SELECT e.name, s.capture_id FROM exec_sources s JOIN execs e USING (exec_id)').all();
    expect(sources).toEqual([{ name: 'cat', capture_id: BigInt(exit.captureId) }]);

    // The same events in one file give the same processes and images.
    const single = newCase();
    try {
      await single.import(asOneFile(files, single.path('one.json')));
      const shape = (ps: ReturnType<typeof processes>) =>
        ps.map((p) => ({ pid: p.pid, parent: p.parentPid, exit: p.exitCode, images: p.images.map((i) => `${i.kind}:${i.name}`) }));
      expect(shape(two)).toEqual(shape(processes(single.db)));
    } finally {
      single.close();
    }
  });

  it('the whole chapter-3 case, one file per event: ps --name nc finds nc, and the tree shows it', async () => {
    c = newCase();
    for (const f of jsonFiles(sample('tetragon/docs-sec-obs-ch3'))) await c.import(f);
    const ps = processes(c.db, 'minikube');
    for (const pid of [38312, 38313, 38314])
      expect(
        ps.filter((p) => p.pid === pid),
        String(pid),
      ).toHaveLength(1);
    expect(proc(ps, 38314).images.at(-1)).toMatchObject({ kind: 'exec', name: 'nc' });
    expect(proc(ps, 38314).exitCode).toBe(0);
    const nc = runCli(['ps', '--name', 'nc', '--db', c.db.name, '--json']);
    expect(nc.code).toBe(0);
    expect((JSON.parse(nc.stdout) as { pid: number }[]).map((r) => Number(r.pid))).toEqual([38314]);
    const tree = runCli(['tree', '--db', c.db.name]).stdout;
    expect(tree).toMatch(/nc,38314 raiz3gjkgtfhkkc/);
    expect(tree).not.toMatch(/sh,38314/);
    // Every process appears once per host: no inferred twin beside a known process.
    const twins = c.db.prepare('SELECT host_id, pid, count(*) AS n FROM processes GROUP BY host_id, pid HAVING n > 1').all();
    expect(twins).toEqual([]);
  });

  it('an audit log and the same events reordered: 6 processes, as one file gives', async () => {
    c = newCase();
    const opts = { readerOptions: { host: 'laurel' } };
    await c.import(sample('laurel-testdata/shell-proc-trace.txt'), opts);
    const alone = processes(c.db).length;
    const again = await c.import(sample('laurel-testdata/shell-proc-trace-reordered.txt'), opts);
    expect(alone).toBe(6);
    expect(processes(c.db)).toHaveLength(6);
    expect(again.processes).toBe(0);
    expect(again.execs).toBe(0);
    expect(again.execsKnown).toBeGreaterThan(0);
  });
});
