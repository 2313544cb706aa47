import { writeFileSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/util/errors.js';
import { HAVE_DATASETS, edges, execImages, newCase, proc, processes, sample } from './sample-case.js';

describe.skipIf(!HAVE_DATASETS)('audit reader on the laurel and OTRF samples', () => {
  let c: ReturnType<typeof newCase>;
  afterEach(() => c?.close());

  const SHELL_TREE = ['71432>71505', '71505>71506', '71505>71507', '71506>71508', '71506>71509'];

  it('shell-proc-trace.txt gives the tree drawn in its header', async () => {
    c = newCase();
    const r = await c.import(sample('laurel-testdata/shell-proc-trace.txt'));
    expect(r.format).toBe('audit');
    const ps = processes(c.db);
    expect(edges(ps)).toEqual(SHELL_TREE);
    expect(proc(ps, 71432).origin).toBe('inferred');
    expect(execImages(proc(ps, 71505))).toEqual(['test-script.sh ./src/testdata/double-fork/test-script.sh']);
    expect(proc(ps, 71505).images.at(-1)!.exepath).toBe('/usr/bin/dash');
    expect(execImages(proc(ps, 71507))).toEqual(['grep baz']);
    expect(execImages(proc(ps, 71508))).toEqual(['echo foo']);
    expect(execImages(proc(ps, 71509))).toEqual(['sed -e s/foo/bar/']);
    expect(proc(ps, 71506).images.map((i) => i.kind)).toEqual(['fork']);
  });

  it('the reordered file (EOE deferred, reversed) gives the same tree and images', async () => {
    c = newCase();
    await c.import(sample('laurel-testdata/shell-proc-trace-reordered.txt'));
    const reordered = processes(c.db);
    const d = newCase();
    await d.import(sample('laurel-testdata/shell-proc-trace.txt'));
    const ordered = processes(d.db);
    d.close();
    expect(edges(reordered)).toEqual(SHELL_TREE);
    const shape = (ps: typeof ordered) => ps.map((p) => [p.pid, p.parentPid, p.origin, execImages(p)]).sort();
    expect(shape(reordered)).toEqual(shape(ordered));
  });

  it('fork-sleep-exec.txt (aarch64, PATH-first records): the orphan keeps its creator despite ppid=1', async () => {
    c = newCase();
    await c.import(sample('laurel-testdata/fork-sleep-exec.txt'));
    const ps = processes(c.db);
    expect(edges(ps)).toEqual(['1578539>1578540', '1578540>1578541', '3822680>1578539']);
    const orphan = proc(ps, 1578540);
    expect(execImages(orphan)).toEqual(['true']);
    expect(orphan.images.at(-1)!.exepath).toBe('/usr/bin/true');
    expect(orphan.images.at(-1)!.ppid).toBe(1);
    expect(execImages(proc(ps, 1578539))).toEqual(['uncaring-parent']);
  });

  it('proc-trace-dpkg-l.txt: login shell, lesspipe script, dpkg exec in place into dpkg-query, vfork pager', async () => {
    c = newCase();
    await c.import(sample('laurel-testdata/proc-trace-dpkg-l.txt'));
    const ps = processes(c.db);
    expect(edges(ps)).toEqual([
      '1140452>1140453',
      '1140453>1140454',
      '1140453>1140455',
      '1140453>1140456',
      '1140453>1140457',
      '1140453>1140461',
      '1140453>1140462',
      '1140457>1140458',
      '1140457>1140459',
      '1140459>1140460',
      '1140462>1140463',
      '1140463>1140464',
    ]);
    const login = c.db.prepare("SELECT exe, name FROM execs WHERE pid = 1140453 AND kind = 'exec'").get();
    expect(login).toEqual({ exe: '-bash', name: 'bash' });
    expect(execImages(proc(ps, 1140462))).toEqual(['dpkg -l', 'dpkg-query --list --']);
    expect(execImages(proc(ps, 1140463))).toEqual(['sh -c -- pager']);
    expect(execImages(proc(ps, 1140464))).toEqual(['pager']);
    expect(execImages(proc(ps, 1140457))).toEqual(['lesspipe /usr/bin/lesspipe']);
  });

  it('record-execve-long.txt joins an argument split into a1_len=16384 hex digits over three EXECVE records (8192 bytes)', async () => {
    c = newCase();
    await c.import(sample('laurel-testdata/record-execve-long.txt'));
    const echo = proc(processes(c.db), 8832);
    const argv = echo.images.at(-1)!.argv!;
    expect(argv).toHaveLength(1);
    expect(argv[0]).toHaveLength(8192);
    expect(argv[0]!.startsWith('baaa')).toBe(true);
    expect(proc(processes(c.db), 8832).parentPid).toBe(10881);
  });

  it('ENRICHED records: hex argv decoded, interpreted UID kept as the user name', async () => {
    c = newCase();
    await c.import(sample('laurel-testdata/record-perl-reverse-shell.txt'));
    const row = c.db.prepare("SELECT argv_json, user_name, uid, loginuid, tty FROM execs WHERE pid = 724395 AND kind = 'exec'").get() as Record<
      string,
      unknown
    >;
    const argv = JSON.parse(String(row.argv_json)) as string[];

    expect(argv[0]).toBe('-e');
    expect(argv[1]).toContain('use Socket;$i="10.0.0.1";$p=1234;');
    expect(argv[1]).toContain('exec("/bin/sh -i");');
    expect(row.user_name).toBe('root');
    expect(Number(row.loginuid)).toBe(1000);
    expect(Number(row.tty)).toBe(136 * 256 + 3);
  });

  it('weblogic (quoted success=, tty="(none)"), syscall-key and syscall-nullkey records', async () => {
    c = newCase();
    await c.import(sample('laurel-testdata/record-weblogic.txt'));
    await c.import(sample('laurel-testdata/record-syscall-key.txt'));
    await c.import(sample('laurel-testdata/record-syscall-nullkey.txt'));
    const ps = processes(c.db);
    const java = proc(ps, 1362221);
    expect(java.parentPid).toBe(1362170);
    expect(java.images.at(-1)!.argv).toHaveLength(13);
    expect(java.images.at(-1)!.argv!.at(-1)).toBe('weblogic.Server');
    expect(execImages(proc(ps, 6382))).toEqual(['cat']);
    expect(proc(ps, 3489504).images.at(-1)!.exepath).toBe('/usr/lib/systemd/systemd');
    // read/write/… records carry no lineage: one exec per pid only.
    expect(c.db.prepare("SELECT count(*) AS n FROM execs WHERE pid = 6382 AND kind = 'exec'").get()).toEqual({ n: 1n });
  });

  it('laurel JSON gives the same images as the raw records', async () => {
    for (const name of ['record-execve', 'record-execve-long', 'record-perl-reverse-shell', 'record-weblogic', 'record-syscall-key']) {
      c = newCase();
      const json = await c.import(sample(`laurel-testdata/${name}.json`));
      expect(json.format).toBe('laurel');
      const fromJson = processes(c.db);
      c.close();
      c = newCase();
      await c.import(sample(`laurel-testdata/${name}.txt`));
      const fromTxt = processes(c.db);
      c.close();
      const shape = (ps: typeof fromTxt) => ps.map((p) => [p.pid, p.parentPid, p.images.map((i) => [i.kind, i.name, i.exepath, i.argv])]);
      expect(shape(fromJson), name).toEqual(shape(fromTxt));
      expect(fromTxt.length, name).toBeGreaterThan(0);
    }
  });

  it('OTRF atomic samples: arp and grep from shell 29002, dd with its arguments', async () => {
    c = newCase();
    await c.import(sample('otrf/atomic-linux/sh_arp_cache_2020-11-10074812.log'));
    await c.import(sample('otrf/atomic-linux/sh_binary_padding_dd_2020-11-10081941.log'));
    const ps = processes(c.db);
    expect(edges(ps)).toEqual(['29002>1631', '29002>1632', '29002>2168']);
    expect(execImages(proc(ps, 1631))).toEqual(['arp -a']);
    expect(execImages(proc(ps, 1632))).toEqual(['grep -v ^?']);
    expect(execImages(proc(ps, 2168))).toEqual(['dd if=/dev/zero bs=1 count=1']);
    const cwd = c.db.prepare('SELECT cwd FROM execs WHERE pid = 2168 AND kind = ?').get('exec') as { cwd: string };
    expect(cwd.cwd).toBe('/home/wardog');
  });

  it('a damaged record names file and line: stops by default, skipped with a warning with --skip-bad', async () => {
    c = newCase();
    const lines = readFileSync(sample('laurel-testdata/shell-proc-trace.txt'), 'utf8').split('\n');
    const bad = lines.findIndex((l) => l.includes('audit(1682609045.530:29242)') && l.startsWith('type=EXECVE'));
    lines.splice(bad + 1, 0, 'type=EXECVE msg=audit(1682609045.530:29242): argc=2 a0=XYZ');
    const file = c.path('damaged.log');
    writeFileSync(file, lines.join('\n'));
    const err = await c.import(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).location).toEqual({ file, line: bad + 2 });
    const r = await c.import(file, { skipBad: true });
    expect(r.warnings).toBe(2); // and one naming the default host
    const w = c.db.prepare('SELECT line, message FROM capture_warnings WHERE capture_id = ?').get(r.captureId) as { line: bigint; message: string };
    expect(Number(w.line)).toBe(bad + 2);
    expect(w.message).toMatch(/a0: expected a quoted string or hex/);
    expect(edges(processes(c.db))).toEqual(SHELL_TREE);
  });
});
