import { describe, expect, it } from 'vitest';
import { CL, buildCapture, dockerCgroups } from '../support/scap-writer/capture-builder.js';
import { HAVE_SYSDIG, importCapture, sysdigExecLines } from '../scap/scap-harness.js';

const CID = 'c010f5a08549441fb384b5e9ede5a4e4122381543d5213298164215f9a257300';
const FORMAT = '%proc.pid\\t%proc.vpid\\t%proc.name';

describe('proc.vpid after an exec from a non-leader thread', () => {
  it("keeps the process vpid (the leader's), as sysdig does", async () => {
    const cap = buildCapture(
      {
        hostname: 'node-1',
        threads: [
          { tid: 1, pid: 1, ptid: 0, comm: 'systemd', exe: '/sbin/init' },
          { tid: 2300, pid: 2300, ptid: 1, comm: 'containerd-shim', exe: '/usr/bin/containerd-shim' },
          { tid: 2330, pid: 2330, ptid: 2300, comm: 'app', exe: '/app', vtid: 1, vpid: 1, cgroups: dockerCgroups(CID) },
        ],
      },
      (b) => {
        // app forks a worker (vpid 7 in the container), whose second thread execs a shell
        b.fork(2330, 2340, { vtid: 7, vpid: 7 });
        b.fork(2340, 2341, { flags: CL.THREAD | CL.VM | CL.FS | CL.FILES | CL.SIGHAND, vtid: 8 });
        b.exec(2341, { exepath: '/bin/sh', args: ['-c', 'id'] });
        b.exec(2340, { exepath: '/usr/bin/id' });
      },
    );
    const imp = await importCapture(cap, 'vpid-thread-exec');
    const rows = imp.all<{ name: string; vpid: bigint | null }>("SELECT name, vpid FROM execs WHERE kind = 'exec' AND pid = 2340 ORDER BY exec_id");
    expect(rows.map((r) => [r.name, r.vpid === null ? null : Number(r.vpid)])).toEqual([
      ['sh', 7],
      ['id', 7],
    ]);
    const proc = imp.all<{ vpid: bigint }>('SELECT vpid FROM processes WHERE pid = 2340');
    expect(proc.map((p) => Number(p.vpid))).toEqual([7]);
    const mine = imp.execsLines(FORMAT);
    expect(mine).toEqual(['2340\t7\tsh', '2340\t7\tid']);
    if (HAVE_SYSDIG) expect(sysdigExecLines(imp.path, FORMAT)).toEqual(mine);
  });

  it('keeps it when the process and its thread come from the initial process table', async () => {
    const cap = buildCapture(
      {
        hostname: 'node-1',
        threads: [
          { tid: 1, pid: 1, ptid: 0, comm: 'systemd', exe: '/sbin/init' },
          { tid: 2300, pid: 2300, ptid: 1, comm: 'containerd-shim', exe: '/usr/bin/containerd-shim' },
          { tid: 2330, pid: 2330, ptid: 2300, comm: 'nginx', exe: 'nginx', vtid: 1, vpid: 1, cgroups: dockerCgroups(CID) },
          { tid: 2331, pid: 2330, ptid: 2300, comm: 'nginx', exe: 'nginx', vtid: 2, vpid: 1, cgroups: dockerCgroups(CID) },
        ],
      },
      (b) => {
        b.exec(2331, { exepath: '/bin/sh', args: ['-c', 'id'] });
      },
    );
    const imp = await importCapture(cap, 'vpid-snapshot-thread-exec');
    const mine = imp.execsLines(FORMAT);
    expect(mine).toEqual(['2330\t1\tsh']);
    if (HAVE_SYSDIG) expect(sysdigExecLines(imp.path, FORMAT)).toEqual(mine);
  });
});
