import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { groupStraceFfFiles } from '../../src/capture/strace/ff-group.js';
import { InputError } from '../../src/util/errors.js';
import { HAVE_DATASETS, edges, execImages, newCase, proc, processes, sample } from './sample-case.js';

const HAVE_STRACE = spawnSync('strace', ['-V']).status === 0;
if (!HAVE_STRACE) console.warn('SKIPPING live strace tests: strace is not installed');

describe.skipIf(!HAVE_DATASETS)('strace reader on the generated samples', () => {
  let c: ReturnType<typeof newCase>;
  afterEach(() => c?.close());

  it('basic.ttt.txt: vfork child logged before its parent resumes, exec in place, double-fork orphan', async () => {
    c = newCase();
    const r = await c.import(sample('strace-generated/basic.ttt.txt'));
    expect(r.format).toBe('strace');
    const ps = processes(c.db);
    expect(edges(ps)).toEqual(['877>882', '877>883', '877>897', '877>899', '899>900']);
    expect(execImages(proc(ps, 877))).toEqual(['bash -c ls | wc -l; sh -c "id; (sleep 0.1 &) ; wait"', 'sh -c id; (sleep 0.1 &) ; wait']);
    expect(execImages(proc(ps, 882))).toEqual(['ls']);
    expect(execImages(proc(ps, 883))).toEqual(['wc -l']);
    expect(execImages(proc(ps, 897))).toEqual(['id']);
    expect(execImages(proc(ps, 899))).toEqual([]);
    expect(execImages(proc(ps, 900))).toEqual(['sleep 0.1']);
    for (const p of ps) expect(p.exitCode, `pid ${p.pid}`).toBe(0);
    // the vforked child starts at the vfork call, before its exec and the parent's resume line
    const child = c.db.prepare('SELECT start_ns, origin FROM processes WHERE pid = 897').get();
    expect(child).toEqual({ start_ns: 1795879779084988000n, origin: 'fork' });
  });

  it('edge.ttt.txt: child that never execs, failed PATH walk, thread, SIGKILL, exit status 3', async () => {
    c = newCase();
    await c.import(sample('strace-generated/edge.ttt.txt'));
    const ps = processes(c.db);
    expect(edges(ps)).toEqual(['926>930', '926>933', '926>949', '926>979']);
    expect(execImages(proc(ps, 930))).toEqual([]);
    expect(proc(ps, 930).exitCode).toBe(127);
    const env = proc(ps, 933);
    expect(execImages(env)).toEqual(['env nosuchcmd2']);
    expect(env.images.filter((i) => i.res === -2)).toHaveLength(11);
    expect(env.exitCode).toBe(127);
    const py = proc(ps, 949);
    expect(py.threads).toBe(2);
    expect(execImages(py)[0]).toMatch(/^python3 -c import threading/);
    expect(proc(ps, 979).exitSignal).toBe(9);
    expect(proc(ps, 979).exitCode).toBeNull();
    expect(execImages(proc(ps, 926)).at(-1)).toBe('sh -c exit 3');
    expect(proc(ps, 926).exitCode).toBe(3);
    // the thread is not a process
    expect(ps.map((p) => p.pid)).not.toContain(978);
  });

  it('execveat-fd.y.ttt.txt: fexecve shows the file behind the fd (-y)', async () => {
    c = newCase();
    await c.import(sample('strace-generated/execveat-fd.y.ttt.txt'));
    const rows = c.db.prepare("SELECT name, exe, exepath, evt_type FROM execs WHERE pid = 15926 AND kind = 'exec' ORDER BY exec_id").all();
    expect(rows).toEqual([
      { name: 'python3', exe: '/usr/bin/python3', exepath: '/usr/bin/python3', evt_type: 'execve' },
      { name: 'true', exe: 'true-via-fd', exepath: '/usr/bin/true', evt_type: 'execveat' },
    ]);
  });

  it('stderr.tt.Y.txt: [pid N<comm>] prefixes, unprefixed root, a line split by "Process N attached"', async () => {
    c = newCase();
    const r = await c.import(sample('strace-generated/stderr.tt.Y.txt'));
    const ps = processes(c.db);
    expect(edges(ps)).toEqual(['991>992', '991>993']);
    expect(execImages(proc(ps, 991))).toEqual(['bash -c true | cat']);
    expect(execImages(proc(ps, 993))).toEqual(['cat']);
    expect(proc(ps, 992).exitCode).toBe(0);
    expect(r.warnings).toBe(2); // and one naming the default host // -tt has no date
  });

  it('-ff files import as one capture: pids from the file names, merged by time', async () => {
    c = newCase();
    const dir = sample('strace-generated/ff/');
    const files = readdirSync(dir)
      .map((f) => dir + f)
      .reverse();
    const groups = groupStraceFfFiles(files);
    expect(groups).toEqual([[`${dir}out.985`, `${dir}out.986`, `${dir}out.987`]]);
    const [first, ...siblings] = groups[0]!;
    await c.import(first!, { siblings });
    const ps = processes(c.db);
    expect(edges(ps)).toEqual(['985>986', '985>987']);
    expect(execImages(proc(ps, 985))).toEqual(['bash -c true | cat; sh -c "echo hi >/dev/null"', 'sh -c echo hi >/dev/null']);
    expect(execImages(proc(ps, 987))).toEqual(['cat']);
    expect(ps.every((p) => p.exitCode === 0)).toBe(true);
    // the same run again is recognised as already imported
    expect((await c.import(first!, { siblings })).outcome).toBe('already imported');
  });

  it('a damaged line names file and line; --skip-bad skips it with a warning', async () => {
    c = newCase();
    const lines = readFileSync(sample('strace-generated/basic.ttt.txt'), 'utf8').split('\n');
    lines.splice(3, 0, '882   1795879779.0570 <... frobnicate resumed>) = 0');
    const file = c.path('bad.txt');
    writeFileSync(file, lines.join('\n'));
    const err = await c.import(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).location).toEqual({ file, line: 4 });
    const r = await c.import(file, { skipBad: true });
    expect(r.warnings).toBe(2); // and one naming the default host
    expect(edges(processes(c.db))).toEqual(['877>882', '877>883', '877>897', '877>899', '899>900']);
  });
});

describe.skipIf(!HAVE_STRACE)('strace reader on commands traced here', () => {
  let c: ReturnType<typeof newCase>;
  afterEach(() => c?.close());

  function trace(args: string[], cmd: string[], status = 0): void {
    const r = spawnSync('strace', [...args, '-s', '4096', ...cmd], { cwd: c.path(''), encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(status);
  }

  it('strace -f -ttt -o: a pipeline, a subshell and a nested shell give the tree they ran', async () => {
    c = newCase();
    const out = c.path('live.txt');
    trace(
      ['-f', '-ttt', '-e', 'trace=process', '-o', out],
      ['/bin/sh', '-c', '/bin/echo one | /bin/cat >/dev/null; (/bin/true); /bin/sh -c "/bin/echo two; /bin/true x"; exit 4'],
      4,
    );
    await c.import(out);
    const ps = processes(c.db);
    const root = ps.find((p) => p.parentPid === null)!;
    expect(execImages(root)[0]).toMatch(/^sh -c \/bin\/echo one/);
    expect(root.exitCode).toBe(4);
    const byProgram = (name: string) => ps.filter((p) => execImages(p).some((i) => i.startsWith(`${name} `) || i === name));
    const [echoOne] = byProgram('echo').filter((p) => execImages(p).includes('echo one'));
    const [cat] = byProgram('cat');
    expect(echoOne!.parentPid).toBe(root.pid);
    expect(cat!.parentPid).toBe(root.pid);
    const nested = ps.find((p) => execImages(p).some((i) => i.startsWith('sh -c /bin/echo two')))!;
    expect(nested.parentPid).toBe(root.pid);
    const echoTwo = ps.find((p) => execImages(p).includes('echo two'))!;
    expect(echoTwo.parentPid).toBe(nested.pid);
    // the nested shell's last command may replace it (exec in place) or run as its child
    const trueX = ps.find((p) => execImages(p).includes('true x'))!;
    expect(trueX.pid === nested.pid || trueX.parentPid === nested.pid).toBe(true);
    const subshellTrue = ps.filter((p) => execImages(p).includes('true'));
    expect(subshellTrue).toHaveLength(1);
    expect(subshellTrue[0]!.parentPid).toBe(root.pid);
    for (const p of ps) if (p !== root) expect(p.exitCode, execImages(p).join()).toBe(0);
  });

  it('strace -ff -ttt -o prefix: the per-pid files give the same tree as -f -o', async () => {
    c = newCase();
    const cmd = ['/bin/sh', '-c', '/bin/echo a | /bin/cat >/dev/null; /bin/sh -c "/bin/true; /bin/true"'];
    trace(['-ff', '-ttt', '-e', 'trace=process', '-o', c.path('ff')], cmd);
    const files = readdirSync(c.path(''))
      .filter((f) => f.startsWith('ff.'))
      .map((f) => c.path(f));
    expect(files.length).toBeGreaterThanOrEqual(4);
    const groups = groupStraceFfFiles(files);
    expect(groups).toHaveLength(1);
    const [first, ...siblings] = groups[0]!;
    await c.import(first!, { siblings });
    const ps = processes(c.db);
    const shape = ps.map((p) => {
      const parent = ps.find((q) => q.pid === p.parentPid);
      return `${parent ? execImages(parent)[0] : '-'} -> ${execImages(p).join(' / ') || '(fork)'}`;
    });
    expect(ps.filter((p) => p.parentPid === null)).toHaveLength(1);
    expect(shape).toContain('sh -c /bin/echo a | /bin/cat >/dev/null; /bin/sh -c "/bin/true; /bin/true" -> echo a');
    expect(shape).toContain('sh -c /bin/echo a | /bin/cat >/dev/null; /bin/sh -c "/bin/true; /bin/true" -> cat');
    expect(ps.filter((p) => execImages(p).includes('true'))).toHaveLength(2);
    for (const p of ps.filter((q) => execImages(q).includes('true'))) {
      const parent = ps.find((q) => q.pid === p.parentPid)!;
      expect(execImages(parent).at(-1)).toBe('sh -c /bin/true; /bin/true');
    }
  });

  it('a multi-threaded program: threads fold into their process', async () => {
    c = newCase();
    const out = c.path('threads.txt');
    trace(
      ['-f', '-ttt', '-e', 'trace=process', '-o', out],
      [
        '/usr/bin/python3',
        '-c',
        'import threading; ts=[threading.Thread(target=lambda: None) for _ in range(3)]; [t.start() for t in ts]; [t.join() for t in ts]',
      ],
    );
    await c.import(out);
    const ps = processes(c.db);
    expect(ps).toHaveLength(1);
    expect(ps[0]!.threads).toBe(4);
    expect(ps[0]!.exitCode).toBe(0);
  });
});
