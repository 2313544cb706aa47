import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { storyScap } from '../../bench/make-story-scap.js';
import { HAVE_SYSDIG, importCapture, sysdigExecLines } from './scap-harness.js';

const SAMPLE = new URL('../../samples/story.scap', import.meta.url);

describe('samples/story.scap', () => {
  it('is what bench/make-story-scap.ts writes', () => {
    expect(readFileSync(SAMPLE).equals(storyScap())).toBe(true);
  });

  it('tells the nginx-test story: the worker spawns sh, which runs curl, wget and cat /etc/shadow', async () => {
    const imp = await importCapture(readFileSync(SAMPLE), 'story');
    const rows = imp.all<{ name: string; pname: string | null; res: number; container: string | null; pod: string | null }>(
      `SELECT e.name, p.name AS pname, e.res, e.container_id AS container, c.pod_name AS pod
       FROM execs e LEFT JOIN execs p ON p.exec_id = e.parent_exec_id LEFT JOIN containers c ON c.container_id = e.container_id
       WHERE e.kind = 'exec' ORDER BY e.exec_id`,
    );
    expect(rows.filter((r) => r.pod === 'nginx-test').map((r) => [r.name, r.pname, r.res])).toEqual([
      ['sh', 'nginx', 0],
      ['curl', 'sh', 0],
      ['sh', 'sh', -2], // wget not found in /usr/local/sbin: the failed exec keeps the old image
      ['wget', 'sh', 0],
      ['cat', 'sh', 0],
      ['x', 'sh', 0],
    ]);
    expect(rows.filter((r) => r.container === null).map((r) => r.name)).toEqual(['bash', 'ls', 'ps', 'cat', 'top']);
    const users = imp.all<{ user_name: string }>("SELECT DISTINCT user_name FROM execs WHERE kind = 'exec' AND name = 'curl'");
    expect(users).toEqual([{ user_name: 'nginx' }]);
    if (HAVE_SYSDIG) {
      // sysdig reads the sample; it differs only where /tmp/x's shell had already exited
      const mine = imp.execsLines();
      const theirs = sysdigExecLines(imp.path);
      const differing = theirs.map((l, i) => [l, mine[i]]).filter(([a, b]) => a !== b);
      expect(differing).toHaveLength(1);
      expect(differing[0]?.[0]).toMatch(/\tx\t<NA>\t<NA>\t<NA>\t\/tmp\/x\t/);
      expect(differing[0]?.[1]).toMatch(/\tx\tsh\tnginx\tnginx\t\/tmp\/x\t/);
    }
  });
});
