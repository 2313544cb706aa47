import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { extractEventXml, parseSysmonXml } from '../../src/capture/sysmon/sysmon-xml.js';
import { isoToNs } from '../../src/capture/time-parse.js';
import { HAVE_DATASETS, newCase, processes, sample } from '../readers/sample-case.js';

const LOG4SHELL = 'otrf/log4shell/syslog_sysmon_log4shell_cve2021_44228_jndi_reference_2022-05-11181020.json';
const CHAIN = [17790, 17793, 17794, 17806, 17832];

interface Create {
  ns: bigint;
  pid: string;
  ppid: string;
  image: string;
  cmdline: string;
  cwd: string;
}

/** The Sysmon sample's ProcessCreate events of the reverse-shell chain. */
function creates(): Create[] {
  const out: Create[] = [];
  for (const line of readFileSync(sample(LOG4SHELL), 'utf8').trim().split('\n')) {
    const ev = parseSysmonXml(extractEventXml(line)!);
    if (ev.eventId !== 1 || !CHAIN.includes(Number(ev.data.ProcessId))) continue;
    out.push({
      ns: isoToNs(ev.data.UtcTime!)! + 1_000_000n,
      pid: ev.data.ProcessId!,
      ppid: ev.data.ParentProcessId!,
      image: ev.data.Image!,
      cmdline: ev.data.CommandLine!,
      cwd: ev.data.CurrentDirectory ?? '/',
    });
  }
  return out;
}

const stamp = (ns: bigint, serial: number) => `${ns / 1_000_000_000n}.${String((ns / 1_000_000n) % 1000n).padStart(3, '0')}:${serial}`;

/** A Sentinel Syslog row, as the OTRF export's rows look, carrying one syslog message. */
const row = (message: string) =>
  JSON.stringify({
    TenantId: 'redacted',
    SourceSystem: 'Linux',
    Computer: 'UBUNTU5',
    Facility: 'user',
    HostName: 'UBUNTU5',
    SeverityLevel: 'info',
    SyslogMessage: message,
    ProcessName: 'auoms',
  });

describe.skipIf(!HAVE_DATASETS)('audit records inside Syslog JSON exports', () => {
  let c: ReturnType<typeof newCase>;
  afterEach(() => c?.close());

  function chainShape() {
    const ps = processes(c.db, 'UBUNTU5');
    return CHAIN.map((pid) => {
      const mine = ps.filter((p) => p.pid === pid);
      return { pid, processes: mine.length, execs: mine.flatMap((p) => p.images.filter((i) => i.kind === 'exec')).length };
    });
  }
  const ONE_EACH = CHAIN.map((pid) => ({ pid, processes: 1, execs: 1 }));

  it("AUOMS_EXECVE rows: read on their own, then merged with the same host's Sysmon export", async () => {
    c = newCase();
    const file = c.path('syslog_auoms.json');
    const lines = creates().map((e, i) =>
      row(
        `type=AUOMS_EXECVE audit(${stamp(e.ns, 9000 + i)}): syscall=execve success=yes exit=0 ppid=${e.ppid} pid=${e.pid} auid=1001 uid=1001 gid=1001 euid=1001 tty=(none) ses=4294967295 comm="${e.image.replace(/.*\//, '').slice(0, 15)}" exe="${e.image}" cwd="${e.cwd}" cmdline="${e.cmdline}" containerid=`,
      ),
    );
    // a row of another program in the same export is not an audit record, and not an error
    lines.splice(2, 0, row('Started Session 3 of user root.'));
    writeFileSync(file, `${lines.join('\n')}\n`);
    const r = await c.import(file);
    expect(r.format).toBe('audit');
    expect(r.warnings).toBe(0);
    expect(chainShape()).toEqual(ONE_EACH);
    const bash = c.db.prepare("SELECT name, exepath, cmdline, loginuid FROM execs WHERE pid = 17790 AND kind = 'exec'").get() as Record<string, unknown>;
    expect(bash).toMatchObject({ name: 'bash', exepath: '/bin/bash', loginuid: 1001n });
    expect(String(bash.cmdline)).toMatch(/^bash /);

    const sysmon = await c.import(sample(LOG4SHELL));
    expect(chainShape()).toEqual(ONE_EACH);
    expect(sysmon.execsKnown).toBeGreaterThanOrEqual(CHAIN.length);
    const sources = c.db.prepare('SELECT count(DISTINCT exec_id) FROM exec_sources WHERE capture_id = ?').pluck().get(sysmon.captureId);
    expect(sources).toBe(BigInt(CHAIN.length));
  });

  it('classic SYSCALL/EXECVE records in SyslogMessage are grouped into events as in audit.log', async () => {
    c = newCase();
    const file = c.path('syslog_auditd.json');
    const lines = creates().flatMap((e, i) => {
      const s = stamp(e.ns, 7000 + i);
      const argv = e.cmdline.split(' ');
      return [
        row(
          `type=SYSCALL msg=audit(${s}): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=2 ppid=${e.ppid} pid=${e.pid} auid=1001 uid=1001 gid=1001 euid=1001 suid=1001 fsuid=1001 egid=1001 sgid=1001 fsgid=1001 tty=(none) ses=4294967295 comm="${e.image.replace(/.*\//, '').slice(0, 15)}" exe="${e.image}" key=(null)`,
        ),
        row(`type=EXECVE msg=audit(${s}): argc=${argv.length} ${argv.map((a, k) => `a${k}="${a}"`).join(' ')}`),
        row(`type=EOE msg=audit(${s}): `),
      ];
    });
    writeFileSync(file, `${lines.join('\n')}\n`);
    await c.import(file);
    expect(chainShape()).toEqual(ONE_EACH);
    await c.import(sample(LOG4SHELL));
    expect(chainShape()).toEqual(ONE_EACH);
  });
});
