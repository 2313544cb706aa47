import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { extractEventXml, parseSysmonXml } from '../../src/capture/sysmon/sysmon-xml.js';
import { isoToNs } from '../../src/capture/time-parse.js';
import { HAVE_DATASETS, newCase, processes, sample } from './sample-case.js';
import { hostCounts } from '../support/host-counts.js';

const LOG4SHELL = 'otrf/log4shell/syslog_sysmon_log4shell_cve2021_44228_jndi_reference_2022-05-11181020.json';
const CHAIN = [17790, 17793, 17794, 17806, 17832];

/**
 * The auditd records the same host would have logged for the reverse-shell chain of the OTRF
 * Sysmon sample (the paired AUOMS capture is not in ../shared): one execve event per Sysmon
 * ProcessCreate, same pid, ppid and program, stamped `skewMs` after Sysmon's UtcTime, with the
 * exact argv audit has and Sysmon lacks, and auid 1001.
 */
function auditFromSysmon(skewMs: number, pids: readonly number[]): string {
  const out: string[] = [];
  let serial = 5000;
  for (const line of readFileSync(sample(LOG4SHELL), 'utf8').trim().split('\n')) {
    const ev = parseSysmonXml(extractEventXml(line)!);
    if (ev.eventId !== 1 || !pids.includes(Number(ev.data.ProcessId))) continue;
    const ns = isoToNs(ev.data.UtcTime!)! + BigInt(skewMs) * 1_000_000n;
    const stamp = `${ns / 1_000_000_000n}.${String((ns / 1_000_000n) % 1000n).padStart(3, '0')}:${serial++}`;
    const argv = ev.data.CommandLine!.split(' ');
    const exe = ev.data.Image!.replace(/^\/bin\//, '/usr/bin/');
    out.push(
      `node=UBUNTU5 type=SYSCALL msg=audit(${stamp}): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=2 ppid=${ev.data.ParentProcessId} pid=${ev.data.ProcessId} auid=1001 uid=1001 gid=1001 euid=1001 suid=1001 fsuid=1001 egid=1001 sgid=1001 fsgid=1001 tty=(none) ses=4294967295 comm="${argv[0]!.replace(/.*\//, '')}" exe="${exe}" key=(null)`,
      `node=UBUNTU5 type=EXECVE msg=audit(${stamp}): argc=${argv.length} ${argv.map((a, i) => `a${i}="${a}"`).join(' ')}`,
      `node=UBUNTU5 type=CWD msg=audit(${stamp}): cwd="/"`,
      `node=UBUNTU5 type=EOE msg=audit(${stamp}): `,
    );
  }
  return `${out.join('\n')}\n`;
}

describe.skipIf(!HAVE_DATASETS)('several sources, one case: Sysmon and audit of the same host', () => {
  let c: ReturnType<typeof newCase>;
  afterEach(() => c?.close());

  function chainShape() {
    const ps = processes(c.db, 'UBUNTU5');
    return CHAIN.map((pid) => {
      const mine = ps.filter((p) => p.pid === pid);
      return { pid, processes: mine.length, execs: mine.flatMap((p) => p.images.filter((i) => i.kind === 'exec')).length, parent: mine[0]?.parentPid };
    });
  }
  const EXPECTED = [
    { pid: 17790, processes: 1, execs: 1, parent: 1340 },
    { pid: 17793, processes: 1, execs: 1, parent: 17790 },
    { pid: 17794, processes: 1, execs: 1, parent: 17790 },
    { pid: 17806, processes: 1, execs: 1, parent: 17794 },
    { pid: 17832, processes: 1, execs: 1, parent: 17806 },
  ];

  for (const order of ['sysmon first', 'audit first'] as const) {
    it(`merges the chain into one tree without duplicates (${order})`, async () => {
      c = newCase();
      const audit = c.path('audit.log');
      writeFileSync(audit, auditFromSysmon(1, CHAIN));
      const files = order === 'sysmon first' ? [sample(LOG4SHELL), audit] : [audit, sample(LOG4SHELL)];
      for (const f of files) await c.import(f);
      expect(chainShape()).toEqual(EXPECTED);
      // java 1340 was a placeholder in both sources: one row
      expect(processes(c.db).filter((p) => p.pid === 1340)).toHaveLength(1);
      // the kept row has both sources' facts: Sysmon's user name, audit's login uid
      const bash = c.db.prepare("SELECT user_name, loginuid, exepath FROM execs WHERE pid = 17790 AND kind = 'exec'").get();
      expect(bash).toMatchObject({ user_name: 'tomcat', loginuid: 1001n });
      const note = c.db.prepare("SELECT message FROM capture_warnings WHERE message LIKE 'merged %'").pluck().get();
      expect(note).toMatch(/^merged \d+ exec rows/);
      expect(
        c.db
          .prepare(
            "SELECT count(*) FROM processes p JOIN hosts h USING (host_id) WHERE hostname = 'UBUNTU5' AND pid IN (1340, 17790, 17793, 17794, 17806, 17832)",
          )
          .pluck()
          .get(),
      ).toBe(6n);
      hostCounts(c); // what `pedigree hosts` says is what the case holds, after the merge
    });
  }

  it('does not merge beyond the rule: other time, other program, other host', async () => {
    c = newCase();
    await c.import(sample(LOG4SHELL));
    const late = c.path('late.log');
    writeFileSync(late, auditFromSysmon(5, [17793])); // 5 ms apart: more than 1 ms precision + 1 ms skew
    await c.import(late);
    const other = c.path('other-program.log');
    writeFileSync(other, auditFromSysmon(0, [17832]).replace(/exe="\/usr\/bin\/whoami"/, 'exe="/usr/bin/id"'));
    await c.import(other);
    const otherHost = c.path('other-host.log');
    writeFileSync(otherHost, auditFromSysmon(0, [17794]).replaceAll('node=UBUNTU5', 'node=UBUNTU6'));
    await c.import(otherHost);
    const count = (pid: number, host: string) =>
      c.db.prepare("SELECT count(*) FROM execs e JOIN hosts h USING (host_id) WHERE pid = ? AND kind = 'exec' AND hostname = ?").pluck().get(pid, host);
    expect(count(17793, 'UBUNTU5')).toBe(2n);
    expect(count(17832, 'UBUNTU5')).toBe(2n);
    expect(count(17794, 'UBUNTU5')).toBe(1n);
    expect(count(17794, 'UBUNTU6')).toBe(1n);
  });
});
