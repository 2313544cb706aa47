import { writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CASE_COUNTS_SQL, caseCountsFromRows } from '../../src/tui/data/case-counts.js';
import { loadCaseSummary } from '../../src/tui/data/case-overview.js';
import { HAVE_DATASETS, newCase, sample } from '../readers/sample-case.js';
import { runCli } from '../support/run-cli.js';
import { buildCapture } from '../support/scap-writer/capture-builder.js';

const THREADS = [
  { tid: 1, pid: 1, ptid: 0, comm: 'init', exe: '/sbin/init' },
  { tid: 100, pid: 100, ptid: 1, comm: 'bash', exe: '/bin/bash' },
];
const BOOT_A = 1_700_000_000_000_000_000n;
const BOOT_B = 1_700_100_000_000_000_000n;

/** A capture of `web-1` in which bash 100 runs `program` as pid 200. */
function capture(boot: bigint, startTs: bigint, program: string): Buffer {
  return buildCapture({ hostname: 'web-1', bootTs: boot, startTs, threads: THREADS }, (b) => {
    b.tick();
    b.fork(100, 200);
    b.tick();
    b.exec(200, { exepath: program });
    b.tick();
    b.exit(200);
  });
}

describe('hosts are machines, not names', () => {
  let c: ReturnType<typeof newCase>;
  afterEach(() => c?.close());

  const hostsOf = () =>
    c.db.prepare('SELECT host_id, hostname, boot_ns FROM hosts ORDER BY host_id').safeIntegers(false).all() as {
      host_id: number;
      hostname: string;
      boot_ns: number;
    }[];

  it('the same hostname with two boot times is two hosts; the same boot is one; hosts merge joins them', async () => {
    c = newCase();
    const a = c.path('a.scap');
    const b = c.path('b.scap');
    const a2 = c.path('a2.scap');
    writeFileSync(a, capture(BOOT_A, BOOT_A + 3_600_000_000_000n, '/bin/cat'));
    writeFileSync(b, capture(BOOT_B, BOOT_A + 3_600_000_010_000n, '/bin/ls'));
    writeFileSync(a2, capture(BOOT_A, BOOT_A + 7_200_000_000_000n, '/bin/id'));
    await c.import(a);
    const second = await c.import(b);
    await c.import(a2);
    expect(hostsOf().map((h) => h.hostname)).toEqual(['web-1', 'web-1']);
    const [first, other] = hostsOf();
    // pid 200 of boot B is not pid 200 of boot A, though their times overlap
    expect(second).toMatchObject({ processes: expect.any(Number), execsKnown: 0 });
    const byHost = c.db
      .prepare("SELECT host_id, count(*) AS n FROM execs WHERE pid = 200 AND kind = 'exec' GROUP BY host_id ORDER BY host_id")
      .safeIntegers(false)
      .all();
    expect(byHost).toEqual([
      { host_id: first!.host_id, n: 2 },
      { host_id: other!.host_id, n: 1 },
    ]);
    const warning = c.db.prepare('SELECT message FROM capture_warnings WHERE capture_id = ?').pluck().all(second.captureId) as string[];
    expect(warning.join('\n')).toMatch(/host name "web-1" is already in the case with another boot time/);

    const listed = runCli(['hosts', '--db', c.db.name, '--json']);
    expect((JSON.parse(listed.stdout) as { host: number; captures: number }[]).map((h) => [h.host, h.captures])).toEqual([
      [first!.host_id, 2],
      [other!.host_id, 1],
    ]);
    const merged = runCli(['hosts', 'merge', String(first!.host_id), String(other!.host_id), '--db', c.db.name]);
    expect(merged.stderr).toBe('');
    expect(merged.stdout).toMatch(/^merged host \d+ into host \d+/);
    expect(hostsOf()).toHaveLength(1);
    expect(c.db.prepare('SELECT count(DISTINCT host_id) FROM processes').pluck().get()).toBe(1n);
  });

  it('--host joins a capture to the named host whatever its boot time', async () => {
    c = newCase();
    const a = c.path('a.scap');
    const b = c.path('b.scap');
    writeFileSync(a, capture(BOOT_A, BOOT_A + 3_600_000_000_000n, '/bin/cat'));
    writeFileSync(b, capture(BOOT_B, BOOT_A + 7_200_000_000_000n, '/bin/ls'));
    await c.import(a);
    await c.import(b, { readerOptions: { host: 'web-1' } });
    expect(hostsOf()).toHaveLength(1);
  });

  it('a capture spanning several hosts is counted per host: captures, hosts, TUI overview', async () => {
    c = newCase();
    const file = c.path('two-hosts.jsonl');
    const ev = (host: string, pid: number, ts: number) => [
      { kind: 'fork', host, ts: String(ts), pid, ppid: 1 },
      { kind: 'exec', host, ts: String(ts + 10), pid, exepath: '/bin/true', ok: true },
    ];
    const events = [...ev('node-a', 10, 1000), ...ev('node-b', 10, 2000), ...ev('node-b', 11, 3000), ...ev('node-b', 12, 4000)];
    writeFileSync(file, `${events.map((e) => JSON.stringify(e)).join('\n')}\n`);
    const r = await c.import(file);
    const perHost = c.db
      .prepare('SELECT h.hostname, ch.process_count, ch.exec_count FROM capture_hosts ch JOIN hosts h USING (host_id) WHERE capture_id = ? ORDER BY h.hostname')
      .safeIntegers(false)
      .all(r.captureId);
    // each pid, plus the inferred parent 1 on each host
    expect(perHost).toEqual([
      { hostname: 'node-a', process_count: 2, exec_count: 2 },
      { hostname: 'node-b', process_count: 4, exec_count: 4 },
    ]);
    const listed = JSON.parse(runCli(['captures', '--db', c.db.name, '--json']).stdout) as { host: string }[];
    expect(listed[0]!.host).toBe('node-a,node-b');
    const overview = loadCaseSummary(c.db, c.db.name);
    const counted = caseCountsFromRows(c.db.prepare(CASE_COUNTS_SQL).raw(true).all() as unknown[][]);
    expect(overview.hosts.map((h) => [h.hostname, counted.hostProcesses.get(h.hostId)])).toEqual([
      ['node-a', 2],
      ['node-b', 4],
    ]);
    const ps = JSON.parse(runCli(['ps', '--host', 'node-b', '--db', c.db.name, '--json']).stdout) as unknown[];
    expect(ps).toHaveLength(4);
  });

  it.skipIf(!HAVE_DATASETS)('an audit log with no node= and no --host: a warning naming the default host', async () => {
    c = newCase();
    const r = await c.import(sample('laurel-testdata/shell-proc-trace.txt'));
    const messages = c.db.prepare('SELECT message FROM capture_warnings WHERE capture_id = ?').pluck().all(r.captureId) as string[];
    expect(messages).toContainEqual(expect.stringMatching(/filed under host "unknown"; pass --host NAME/));
    const named = await c.import(sample('laurel-testdata/shell-proc-trace-reordered.txt'), { readerOptions: { host: 'laurel-box' } });
    expect(c.db.prepare('SELECT count(*) FROM capture_warnings WHERE capture_id = ?').pluck().get(named.captureId)).toBe(0n);
  });
});
