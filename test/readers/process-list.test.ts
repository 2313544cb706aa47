import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError, PedigreeError } from '../../src/util/errors.js';
import { HAVE_DATASETS, edges, newCase, proc, processes, sample } from './sample-case.js';

const TREE = ['3017>3019', '3017>3020', '3017>3021', '3020>3022', '3020>3023', '3021>3024'];
const STARTED = 1795879797000000000n; // Sat Nov 28 15:29:57 2026, read as UTC

describe.skipIf(!HAVE_DATASETS)('process lists: ps text and CSV', () => {
  let c: ReturnType<typeof newCase>;
  afterEach(() => c?.close());

  it('ps -eo with header: columns by header, comm kept apart from args, lstart as UTC with a warning', async () => {
    c = newCase();
    const r = await c.import(sample('ps-generated/ps-eo-lstart.txt'));
    expect(r.format).toBe('ps');
    expect(r.warnings).toBe(2); // and one naming the default host
    const ps = processes(c.db);
    expect(edges(ps)).toEqual(TREE);
    const cat = c.db.prepare('SELECT name, cmdline, pgid, sid, uid, tty, ts_ns, kind FROM execs WHERE pid = 3023').get();
    expect(cat).toEqual({ name: 'cat', cmdline: 'cat', pgid: 3017n, sid: 3017n, uid: 0n, tty: 0n, ts_ns: STARTED, kind: 'snapshot' });
    // the forked subshell shows its parent's args
    expect(proc(ps, 3020).images[0]!.cmdline).toBe('bash -c sleep 20 & (sleep 20 | cat) & sh -c "sleep 20; true" & wait');
    expect(c.db.prepare('SELECT start_ns FROM processes WHERE pid = 3024').pluck().get()).toBe(STARTED);
  });

  it('ps without header (pid=,ppid=,lstart=,comm=,args=) gives the same tree', async () => {
    c = newCase();
    await c.import(sample('ps-generated/ps-eo-lstart-noheader.txt'));
    const ps = processes(c.db);
    expect(edges(ps)).toEqual(TREE);
    expect(proc(ps, 3021).images[0]).toMatchObject({ name: 'sh', cmdline: 'sh -c sleep 20; true' });
    expect(proc(ps, 3022).images[0]).toMatchObject({ name: 'sleep', cmdline: 'sleep 20' });
  });

  it('the generic CSV: header auto-mapping, RFC 4180 quotes, epoch start, /proc cgroup lines', async () => {
    c = newCase();
    const r = await c.import(sample('ps-generated/proc-snapshot.csv'));
    expect(r.format).toBe('csv');
    const ps = processes(c.db);
    expect(edges(ps)).toEqual(TREE);
    const bash = c.db.prepare('SELECT name, exepath, cmdline, cgroups, ts_ns FROM execs WHERE pid = 3017').get();
    expect(bash).toEqual({
      name: 'bash',
      exepath: '/usr/bin/bash',
      cmdline: 'bash -c sleep 20 & (sleep 20 | cat) & sh -c "sleep 20; true" & wait',
      cgroups: 'name=systemd=/',
      ts_ns: STARTED,
    });
  });

  it('an EDR-style CSV with --map names its columns', async () => {
    c = newCase();
    const [header, ...rows] = readFileSync(sample('ps-generated/proc-snapshot.csv'), 'utf8').trim().split('\n');
    expect(header).toBe('pid,ppid,start_epoch,comm,exe,cgroup,args');
    const file = c.path('edr.csv');
    writeFileSync(file, ['ProcId,Parent,Born,ShortName,ImagePath,Cg,Cmd', ...rows].join('\n'));
    const err = await c.import(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PedigreeError); // not detected: no pid column
    await c.import(file, {
      format: 'csv',
      readerOptions: { map: { pid: 'ProcId', ppid: 'Parent', start_time: 'Born', comm: 'ShortName', exe: 'ImagePath', cmdline: 'Cmd' } },
    });
    const ps = processes(c.db);
    expect(edges(ps)).toEqual(TREE);
    expect(proc(ps, 3023).images[0]).toMatchObject({ name: 'cat', exepath: '/usr/bin/cat' });
  });

  it('damaged rows name file and line', async () => {
    c = newCase();
    const lines = readFileSync(sample('ps-generated/proc-snapshot.csv'), 'utf8').trim().split('\n');
    lines.splice(3, 0, 'notapid,3017,1795879797,"x","/x","",x');
    const file = c.path('bad.csv');
    writeFileSync(file, lines.join('\n'));
    const err = await c.import(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).location).toEqual({ file, line: 4 });
    const r = await c.import(file, { skipBad: true });
    expect(r.warnings).toBe(2); // and one naming the default host
    expect(edges(processes(c.db))).toEqual(TREE);

    const psLines = readFileSync(sample('ps-generated/ps-eo-lstart.txt'), 'utf8').trim().split('\n');
    psLines.splice(2, 0, ' 3018  3017  3017');
    const psFile = c.path('bad-ps.txt');
    writeFileSync(psFile, psLines.join('\n'));
    const err2 = await c.import(psFile).catch((e: unknown) => e);
    expect((err2 as InputError).location).toEqual({ file: psFile, line: 3 });
  });
});
