import { describe, expect, it } from 'vitest';
import { CL, buildCapture } from '../support/scap-writer/capture-builder.js';
import { HAVE_SYSDIG, scratchDir } from './scap-harness.js';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The test writer itself: sysdig must read what it writes, event for event. */
describe.skipIf(!HAVE_SYSDIG)('scap test writer, read back by sysdig', () => {
  it('writes SHB 1.2, MI, UL_V2, PL_V9 and EV_V2 blocks sysdig decodes with the intended values', () => {
    const cap = buildCapture(
      {
        hostname: 'writer-host',
        users: [
          { uid: 0, name: 'root' },
          { uid: 1000, name: 'alice' },
        ],
        threads: [
          { tid: 1, pid: 1, ptid: 0, comm: 'systemd', exe: '/sbin/init' },
          { tid: 50, pid: 50, ptid: 1, comm: 'bash', exe: 'bash', uid: 1000, cwd: '/home/alice' },
        ],
      },
      (b) => {
        b.fork(50, 60, { kind: 'fork' })
          .exec(60, { filename: '/usr/bin/env', args: ['A=1'] })
          .filler(60, 2, 5)
          .exit(60, 3 << 8);
        b.fork(50, 61, { flags: CL.THREAD | CL.VM });
      },
    );
    const path = join(scratchDir(), 'writer.scap');
    writeFileSync(path, cap);
    const r = spawnSync('sysdig', ['-r', path, '-p', '%evt.num %evt.type %evt.dir %proc.name %user.name %evt.args'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(' ').slice(1, 3).join(' '))).toEqual([
      'fork >',
      'fork <',
      'fork <',
      'execve >',
      'execve <',
      'read >',
      'read <',
      'read >',
      'read <',
      'procexit >',
      'clone >',
      'clone <',
      'clone <',
    ]);
    expect(lines[4]).toMatch(/^5 execve < env alice res=0 exe=\/usr\/bin\/env args=A=1\. tid=60\(env\) pid=60\(env\) ptid=50\(bash\)/);
    expect(lines[6]).toMatch(/read < env alice res=5 data=aaaaa/);
    expect(lines[9]).toMatch(/procexit > env alice status=768 ret=3 sig=0 core=0/);
    expect(lines[12]).toMatch(/clone < bash alice res=0 .*tid=61\(bash\) pid=50\(bash\).*CLONE_THREAD/);
  });
});
